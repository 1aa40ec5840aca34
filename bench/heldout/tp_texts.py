# ruff: noqa: E501  (document text, one paragraph per line)
"""Text of the third-party corpus: openly licensed public pages, trimmed to whole sentences.

Each document is a list of blocks: ("title", text), ("meta", text) for page furniture lines,
("h", heading), ("p", paragraph), ("ul"/"ol", [items]), ("break",) for a page break (PDF only).
Citation markers such as [1] were removed; wording is otherwise the source's.
"""

WIKI = "Wikipedia, CC BY-SA 4.0"

DOCS = {}

DOCS["attachment-theory-reader.pdf"] = dict(
    header="Practice reader: attachment",
    url="https://en.wikipedia.org/wiki/Attachment_theory",
    publisher="Wikipedia (articles 'Attachment theory' and 'Attachment in children')",
    licence=WIKI,
    blocks=[
        ("title", "Attachment theory"),
        ("meta", "Source: https://en.wikipedia.org/wiki/Attachment_theory"),
        (
            "meta",
            "From Wikipedia, the free encyclopedia. Text licensed CC BY-SA 4.0. Retrieved 2026.",
        ),
        (
            "p",
            "Attachment theory posits that infants need to form a close relationship with at least one primary caregiver to ensure their survival and to develop healthy social and emotional functioning. It was first developed by psychiatrist and psychoanalyst John Bowlby (1907–90). The theory proposes that secure attachments are formed when caregivers are sensitive and responsive in social interactions, and consistently available, particularly between the ages of six months and two years. As children grow, they are thought to use these attachment figures as a secure base from which to explore the world and to return to for comfort. Interactions with caregivers have been hypothesized to form a specific kind of attachment behavioral system—or, more recently, internal working model—the relative security or insecurity of which influences characteristic patterns of behavior when forming future relationships. Separation anxiety or grief following the loss of an attachment figure was proposed as being a normal and adaptive response for a securely attached infant.",
        ),
        (
            "p",
            "In the 1970s, developmental psychologist Mary Ainsworth expanded on Bowlby's work, codifying the caregiver's side of the attachment process as requiring the adult's availability, appropriate responsiveness, and sensitivity to the infant's signals. She and her team devised a laboratory procedure known as the Strange Situation Procedure, which she used to identify attachment patterns in infant–caregiver pairs: secure, avoidant, anxious attachment, and later, disorganized attachment. In the 1980s, attachment theory was extended to adult relationships and attachment in adults, making it applicable beyond early childhood. Bowlby's theory integrated concepts from evolutionary biology, object relations theory, control systems theory, ethology, and cognitive psychology, and was most fully articulated in his trilogy, Attachment and Loss (1969–82).",
        ),
        ("break",),
        ("h", "Attachment in children"),
        ("meta", "Source: https://en.wikipedia.org/wiki/Attachment_in_children"),
        (
            "p",
            "Attachment in children is \"a biological instinct in which proximity to an attachment figure is sought when the child senses or perceives threat or discomfort. Attachment behaviour anticipates a response by the attachment figure which will remove threat or discomfort\". Attachment also describes the function of availability, which is the degree to which the authoritative figure is responsive to the child's needs and shares communication with them. Childhood attachment can define characteristics that will shape the child's sense of self, their forms of emotion-regulation, and how they carry out relationships with others. Attachment is found in all mammals to some degree, especially primates.",
        ),
        (
            "p",
            "Attachment theory has led to a new understanding of child development. Children develop different patterns of attachment based on experiences and interactions with their caregivers at a young age. Four different attachment classifications have been identified in children:",
        ),
        (
            "ul",
            [
                "secure attachment",
                "anxious-ambivalent attachment",
                "anxious-avoidant attachment",
                "disorganized attachment",
            ],
        ),
        (
            "p",
            "Attachment theory has become the dominant theory used today in the study of infant and toddler behavior and in the fields of infant mental health, treatment of children, and related fields.",
        ),
    ],
)

DOCS["ethics-of-care.pdf"] = dict(
    header="Ethics of care",
    url="https://en.wikipedia.org/wiki/Ethics_of_care",
    publisher="Wikipedia (article 'Ethics of care')",
    licence=WIKI,
    blocks=[
        ("title", "Ethics of care"),
        ("meta", "Source: https://en.wikipedia.org/wiki/Ethics_of_care (CC BY-SA 4.0)"),
        (
            "p",
            'The ethics of care (alternatively care ethics or EoC) is a normative ethical theory that holds that moral action centers on interpersonal relationships and care or benevolence as a virtue. EoC is one of a cluster of normative ethical theories that were developed by some feminists and environmentalists since the 1980s. While consequentialist and deontological ethical theories emphasize generalizable standards and impartiality, ethics of care emphasize the importance of response to the individual. The distinction between the general and the individual is reflected in their different moral questions: "what is just?" versus "how to respond?" Carol Gilligan, who is considered the originator of the ethics of care, criticized the application of generalized standards as "morally problematic, since it breeds moral blindness or indifference".',
        ),
        ("p", "Assumptions of the framework include:"),
        (
            "ul",
            [
                "persons are understood to have varying degrees of dependence and interdependence;",
                "other individuals affected by the consequences of one's choices deserve consideration in proportion to their vulnerability;",
                "and situational details determine how to safeguard and promote the interests of individuals.",
            ],
        ),
        ("break",),
        ("h", "Historical background"),
        (
            "p",
            "The originator of the ethics of care was Carol Gilligan, an American ethicist and psychologist. Gilligan created this model as a critique of her mentor, developmental psychologist Lawrence Kohlberg's model of moral development. Gilligan observed that measuring moral development by Kohlberg's stages of moral development found boys to be more morally mature than girls, and this result held for adults as well (although when education is controlled for there are no gender differences). Gilligan argued that Kohlberg's model was not objective, but rather a masculine perspective on morality, founded on principles of justice and rights. In her 1982 book In a Different Voice, she further posited that men and women have tendencies to view morality in different terms.",
        ),
        ("h", "Relationship to traditional ethical positions"),
        (
            "p",
            "Care ethics is different from other ethical models, such as consequentialist theories (e.g. utilitarianism) and deontological theories (e.g. Kantian ethics), in that it seeks to incorporate traditionally feminine virtues and values which, proponents of care ethics contend, are absent in traditional models of ethics. One of these values is the placement of caring and relationship over that of logic and reason. In care ethics reason and logic are subservient to natural care, that is care that is done out of inclination, which is contrary to deontology where actions taken out of inclination are unethical.",
        ),
    ],
)

DOCS["strength-based-practice.docx"] = dict(
    url="https://en.wikipedia.org/wiki/Strength-based_practice",
    publisher="Wikipedia (article 'Strength-based practice')",
    licence=WIKI,
    blocks=[
        ("title", "Strength-based practice"),
        (
            "meta",
            "Source: https://en.wikipedia.org/wiki/Strength-based_practice. From Wikipedia, the free encyclopedia (CC BY-SA 4.0).",
        ),
        (
            "p",
            "Strength-based practice is a social work practice theory that emphasizes people's self-determination and strengths. It is a philosophy and a way of viewing clients as resourceful and resilient in the face of adversity. It is client-led, with a focus on future outcomes and strengths that people bring to a problem or crisis. When applied beyond the field of social work, strength-based practice is also referred to as the \"strength-based approach\". This approach can focus on individuals' strengths as well as wider social and community networks.",
        ),
        ("h", "History"),
        (
            "p",
            "Social worker Bertha Reynolds was a proto-theorist for this practice. She criticized the American social work tendency to adopt a psychoanalytic approach (and the corollary dependence on the DSM IV) with clients. It was formally developed by a team from the University of Kansas, including Dennis Saleebey, Charles Rapp, and Anne Weick.",
        ),
        (
            "p",
            'In 1997, Rapp wrote "The Strengths Model", which focused on "amplifying the well part of the patient". The popularity of his approach spread quickly, and, in 1999, Dr. Martin Seligman, the president of the American Psychological Association at the time, made an observation that fuelled strength-based practice:',
        ),
        (
            "quote",
            "The most important thing we learned was that psychology was half-baked. We've baked the part about mental illness, about repair damage. The other side's unbaked, the side of strength, the side of what we're good at.",
        ),
        (
            "p",
            "Since then, the strength-based approach has been adapted and applied to many contexts. In the service sector, for example, it has been applied to case management, education, community development, and working with many different groups, such as young people and people with mental illnesses. Beyond social services, in 1995, Marcus Buckingham and Donald Clifton introduced the strengths perspective to the business world.",
        ),
        ("h", "Strengths based, solution focused approaches"),
        (
            "p",
            "Strengths based, solution focused approaches enhance the capacities of individuals, groups, families, neighbourhoods and communities to deal with their own challenges. Empowerment results from being treated with respect and having strengths acknowledged and enhanced. As embedded in the values and work of St Luke's, a community services organisation in Bendigo, Victoria, Australia, this approach orients workers to focus first on listening and identifying the person's strengths and resources, to understand clearly their goals and aspirations for the future and to then support them in addressing any barriers or blockages. St Luke's believe this approach gives better outcomes than those that prioritise and identify problems and deficits.",
        ),
    ],
)

DOCS["motivational-interviewing.docx"] = dict(
    url="https://en.wikipedia.org/wiki/Motivational_interviewing",
    publisher="Wikipedia (article 'Motivational interviewing')",
    licence=WIKI,
    blocks=[
        ("title", "Motivational interviewing"),
        (
            "meta",
            "Source: https://en.wikipedia.org/wiki/Motivational_interviewing (Wikipedia, CC BY-SA 4.0)",
        ),
        (
            "p",
            "Motivational interviewing (MI) is a counseling approach developed in part by clinical psychologists William R. Miller and Stephen Rollnick. It is a directive, client-centered counseling style for eliciting behavior change by helping clients to explore and resolve ambivalence. Compared with non-directive counseling, it is more focused and goal-directed, and departs from traditional Rogerian client-centered therapy through this use of direction, in which therapists attempt to influence clients to consider making changes, rather than engaging in non-directive therapeutic exploration. The examination and resolution of ambivalence is a central purpose, and the counselor is intentionally directive in pursuing this goal. MI is most centrally defined not by technique but by its spirit as a facilitative style for interpersonal relationship.",
        ),
        (
            "p",
            "Core concepts evolved from experience in the treatment of problem drinkers, and MI was first described by Miller (1983) in an article published in the journal Behavioural and Cognitive Psychotherapy. Miller and Rollnick elaborated on these fundamental concepts and approaches in 1991 in a more detailed description of clinical procedures. MI has demonstrated positive effects on psychological and physiological disorders according to meta-analyses.",
        ),
        ("h", "Overview"),
        (
            "p",
            "Motivational interviewing (MI) is a person-centered strategy. It is used to elicit patient motivation to change a specific negative behavior. MI engages clients, elicits change talk and evokes patient motivation to make positive changes. For example, change talk can be elicited by asking the patient questions such as:",
        ),
        (
            "ul",
            [
                '"How might you like things to be different?"',
                '"How does ______ interfere with things that you would like to do?"',
            ],
        ),
        (
            "p",
            "Unlike clinical interventions and treatment, MI is the technique where the interviewer (clinician) assists the interviewee (patient) in changing a behavior by expressing their acceptance of the interviewee without judgement.",
        ),
        ("h", "Processes"),
        (
            "meta",
            "Source: https://pmc.ncbi.nlm.nih.gov/articles/PMC6631588 (review article, CC BY 4.0)",
        ),
        (
            "p",
            "Motivational Interviewing has been demonstrated to be effective for a wide range of health behaviors. It involves four processes, which support the patient towards a positive behavior change:",
        ),
        ("ol", ["engaging", "focusing", "evoking", "planning"]),
        (
            "p",
            "Motivational Interviewing is a collaborative, patient-centered approach evoking the patient's own motivation to change, thereby enhancing the relationship between the clinician and patient and improving patient outcomes.",
        ),
    ],
)

DOCS["reflective-practice.pdf"] = dict(
    header="Reflective practice | study notes",
    url="https://en.wikipedia.org/wiki/Reflective_practice ; http://content.iriss.org.uk/reflectivepractice/practitioner.html",
    publisher="Wikipedia (article 'Reflective practice'); Iriss (Institute for Research and Innovation in Social Services)",
    licence="Wikipedia CC BY-SA 4.0; Iriss learning resource (Creative Commons licence, attribution)",
    blocks=[
        ("title", "Reflective practice"),
        ("meta", "Source: https://en.wikipedia.org/wiki/Reflective_practice"),
        (
            "p",
            "Reflective practice is the ability to reflect on one's actions so as to take a critical stance or attitude towards one's own practice and that of one's peers, engaging in a process of continuous adaptation and learning. According to one definition it involves \"paying critical attention to the practical values and theories which inform everyday actions, by examining practice reflectively and reflexively. This leads to developmental insight\". A key rationale for reflective practice is that experience alone does not necessarily lead to learning; deliberate reflection on experience is essential.",
        ),
        (
            "p",
            "Reflective practice can be an important tool in practice-based professional learning settings where people learn from their own professional experiences, rather than from formal learning or knowledge transfer. It may be the most important source of personal professional development and improvement. It is also an important way to bring together theory and practice; through reflection one is able to see and label forms of thought and theory within the context of one's work. Reflecting throughout one's practice is taking a conscious look at emotions, experiences, actions, and responses, and using that information to add to one's existing knowledge base and reach a higher level of understanding.",
        ),
        ("h", "History and background"),
        (
            "p",
            "Donald Schön's 1983 book The Reflective Practitioner introduced concepts such as reflection-on-action and reflection-in-action which explain how professionals meet the challenges of their work with a kind of improvisation that is improved through practice. However, the concepts underlying reflective practice are much older. Earlier in the 20th century, John Dewey was among the first to write about reflective practice with his exploration of experience, interaction and reflection.",
        ),
        ("break",),
        ("h", "The reflective practitioner"),
        ("meta", "Source: Iriss, http://content.iriss.org.uk/reflectivepractice/practitioner.html"),
        (
            "p",
            "One of Donald Schon's greatest contributions to professional education was to stress the role of reflection within the learning process (Schon 1983). Examining professional practice, Schon identified two types of reflection: reflection-in-action and reflection-on-action.",
        ),
        (
            "p",
            "Reflection-in-action, sometimes described as 'thinking on our feet', is the process that allows professionals to reshape the situation or activity on which they are working while it is unfolding. It is generally associated with the experience of surprise: Schon suggests that, by \"reflecting-in-action\", professionals reflect on unexpected experiences and conduct 'experiments' which serve to generate both a new understanding of the experience and a change in the situation.",
        ),
        (
            "p",
            'Reflection-on-action involves reflecting on an experience, situation or phenomenon after it has occurred. When professionals "reflect-on-action" they explore what happened in that particular situation, why they acted as they did, whether they could have acted differently, and so on. Reflection-on-action is often associated with reflective writing in which professionals reflect on their experiences and examine alternative ways to improve their practice.',
        ),
    ],
)

DOCS["iriss-insight-41-relationship-based-practice.pdf"] = dict(
    header="Iriss Insight 41",
    url="https://www.iriss.org.uk/resources/insights/relationship-based-practice-emergent-themes-social-work-literature",
    publisher="Iriss (Institute for Research and Innovation in Social Services), Insight 41, 26 January 2018",
    licence="Iriss states a Creative Commons (attribution, non-commercial) licence for its Insights; check before redistribution",
    blocks=[
        ("title", "Relationship-based practice: emergent themes in social work literature"),
        ("meta", "Insight 41 | Published in Insights on 26 Jan 2018"),
        (
            "meta",
            "Source: https://www.iriss.org.uk/resources/insights/relationship-based-practice-emergent-themes-social-work-literature",
        ),
        ("h", "Key points"),
        (
            "ul",
            [
                "There are compelling philosophical, policy and practice reasons to put relationships at the heart of social work",
                "The importance of relationships is increasingly recognised in 'people work' but especially in social work and social care, across all domains of practice",
                "Effective relationships are central to successful outcomes",
                "Current policy directions in Scotland are rooted in the need for effective personal/professional relationships",
                "Relationships are complex, requiring an awareness of 'self' and the negotiation of inter-personal boundaries",
                "Current practice cultures can make it difficult to practise in properly relational ways and would require a radical shift for issues of power, agency and status to be addressed",
            ],
        ),
        ("break",),
        ("h", "History"),
        (
            "p",
            "The roots of an emotional dimension to social work can be traced back to the psychoanalytic and psychosocial models that emerged in the mid-20th century (Horney, 1950; Rogers, 1961; Hollis, 1964), which highlighted the importance of previous experiences and how emotions are managed and understood through relationships. At another level, Biestek's (1957) seminal exposition of social work's ethics includes what are clearly relational principles such as purposeful expression of feelings, controlled emotional involvement and acceptance.",
        ),
        (
            "p",
            "Psychosocial models of practice attracted some criticism due to claims that they minimised wider societal and political factors, and focused primarily, on the inner worlds of individuals. This, it was argued, ran the risk of locating people's difficulties and solutions primarily at an individual level. Nevertheless, it remained self-evident, even in such critiques, that relationships were central to social work.",
        ),
        (
            "p",
            "The 1980s, however, saw the increasing dominance of neoliberal political and economic ideology.",
        ),
    ],
)

DOCS["adult-social-work-supervision-standards.pdf"] = dict(
    header="Adult social work supervision: standards and consultation",
    url="https://www.gov.uk/government/publications/adult-social-work-post-qualifying-standards-knowledge-and-skills-statement ; https://socialworkwithadults.blog.gov.uk/2017/11/28/adult-social-work-supervisors-what-do-they-need-to-lead-and-support-others",
    publisher="GOV.UK (Department of Health and Social Care); Social work with adults blog (Chief Social Worker for Adults)",
    licence="Open Government Licence v3.0",
    blocks=[
        ("title", "Adult social work post-qualifying standards: knowledge and skills statement"),
        (
            "meta",
            "Source: https://www.gov.uk/government/publications/adult-social-work-post-qualifying-standards-knowledge-and-skills-statement",
        ),
        (
            "meta",
            "Published 11 December 2018. Contains public sector information licensed under the Open Government Licence v3.0.",
        ),
        ("p", "Post-qualifying standard for adult social work practice supervisors."),
        (
            "p",
            "Knowledge and skills statements are the foundation for the introduction of a post-qualification specialist career pathway for adult social workers. They're crucial for adult social work:",
        ),
        ("ul", ["education", "recruitment", "career development", "performance appraisal"]),
        ("p", "Practice supervisors are qualified social workers responsible for:"),
        (
            "ul",
            [
                "supervising adult social work practitioners",
                "developing the skills of teams and individuals involved in adult social work and social care services",
            ],
        ),
        (
            "p",
            "For frontline social workers and practice supervisors, these statements have been determined as the post-qualifying improvement standards as set out under Section 42 of the Children and Social Work Act 2017. This means a professional standard which demonstrates expertise or specialisation.",
        ),
        (
            "p",
            "Knowledge and skills statements are also available for child and family social workers.",
        ),
        ("break",),
        ("h", "Adult social work supervisors: what do they need to lead and support others?"),
        (
            "meta",
            "Social work with adults blog, 28 November 2017. Source: https://socialworkwithadults.blog.gov.uk/2017/11/28/adult-social-work-supervisors-what-do-they-need-to-lead-and-support-others",
        ),
        (
            "p",
            "A statement detailing the knowledge and skills required for adult social work supervisors to make sure effective professional supervision is provided to registered social workers is now out for consultation.",
        ),
        (
            "p",
            "In my last annual report, I highlighted the importance of maintaining high quality professional supervision and leadership for social workers in adult social care. I also set out the benefits of these statements in the application of consistent, practice-led approaches across all social work settings.",
        ),
        (
            "p",
            "Good supervision supports highly skilled practice and ultimately significantly contributes to making a real difference to the lives of people, families and communities with whom social workers work. Social work supervisors are vital to enabling and empowering best practice. They create the reflective practice spaces within which practitioners can learn, improve their person centred practice, and grow in confidence.",
        ),
        (
            "p",
            "This clear statement raises the bar for social work supervision and consolidates excellent practice at the heart of adult social care. So, we're using this consultation phase to ask for your views on what social workers in management and supervisory positions should know and be able to do if they supervise others in adult practice.",
        ),
        (
            "p",
            "Furthermore, the statement embeds critically reflective, relational based approaches into quality supervision, moving away from prioritisation of process and procedure. And crucially, it considers how social workers can be assessed and accredited on their knowledge, skills and capabilities as supervisors and how these criteria might be applied consistently.",
        ),
        ("p", "Here are some specific aspects of the statement we would welcome your views on:"),
        (
            "ul",
            [
                "Have the right knowledge and skills been identified at the appropriate level?",
                "Is the knowledge and skills statement as proposed compatible with the Professional Capabilities Framework?",
            ],
        ),
    ],
)

DOCS["compassion-fatigue.md"] = dict(
    url="https://en.wikipedia.org/wiki/Compassion_fatigue",
    publisher="Wikipedia (article 'Compassion fatigue')",
    licence=WIKI,
    blocks=[
        ("title", "Compassion fatigue"),
        (
            "meta",
            "Source: https://en.wikipedia.org/wiki/Compassion_fatigue (Wikipedia, CC BY-SA 4.0)",
        ),
        (
            "p",
            "Compassion fatigue is an evolving concept in the field of traumatology. The term has been used interchangeably with secondary traumatic stress (STS), which is sometimes simply described as the negative cost of caring. Secondary traumatic stress is the term commonly employed in academic literature, although recent assessments have identified certain distinctions between compassion fatigue and secondary traumatic stress (STS).",
        ),
        ("h", "Who is affected"),
        (
            "p",
            "Compassion fatigue is a form of traumatic stress resulting from repeated exposure to traumatized individuals or aversive details of traumatic events while working in a helping or protecting profession. This indirect form of trauma exposure differs from experiencing trauma oneself.",
        ),
        (
            "p",
            "Compassion fatigue is considered to be the result of working directly with victims of disasters, trauma, or illness, especially in the health care industry. Individuals working in other helping professions are also at risk for experiencing compassion fatigue. These include child protection workers, veterinarians, clergy, teachers, social workers, palliative care workers, journalists, police officers, firefighters, paramedics, animal welfare workers, public librarians, health unit coordinators, and student affairs professionals. Non-professionals, such as family members and other informal caregivers of people who have a chronic illness, may also experience compassion fatigue.",
        ),
        ("h", "History"),
        (
            "p",
            'Compassion fatigue has been studied by the field of traumatology, where it has been called the "cost of caring" for people facing emotional pain. The term was first coined in 1992 by Carla Joinson to describe the negative impact hospital nurses were experiencing as a result of their repeated, daily exposure to patient emergencies. To a certain extent, the term "compassion fatigue" is considered somewhat euphemistic and is used as a substitute for its academic counterpart, secondary traumatic stress.',
        ),
        ("h", "Symptoms"),
        (
            "p",
            "People who experience compassion fatigue may exhibit a variety of symptoms including, but not limited to:",
        ),
        (
            "ul",
            [
                "lowered concentration",
                "numbness or feelings of helplessness",
                "irritability",
                "lack of self-satisfaction",
                "withdrawal",
            ],
        ),
    ],
)

DOCS["emotional-labor.pdf"] = dict(
    header="Emotional labor",
    url="https://en.wikipedia.org/wiki/Emotional_labor",
    publisher="Wikipedia (article 'Emotional labor')",
    licence=WIKI,
    blocks=[
        ("title", "Emotional labor"),
        (
            "meta",
            "Source: https://en.wikipedia.org/wiki/Emotional_labor  |  Wikipedia, CC BY-SA 4.0",
        ),
        (
            "p",
            "Emotional labor is the process of managing feelings and expressions to fulfill the emotional requirements of a job. More specifically, workers are expected to regulate their personas during interactions with customers, co-workers, clients, and managers. This includes analysis and decision-making in terms of the expression of emotion, whether actually felt or not, as well as its opposite: the suppression of emotions that are felt but not expressed. This is done so as to produce a certain feeling in the customer or client that will allow the company or organization to succeed.",
        ),
        (
            "p",
            "Roles that have been identified as requiring emotional labor include those involved in education, public administration, law, childcare, health care, social work, hospitality, media, advocacy, and espionage. As particular economies move from a manufacturing to a service-based economy, more workers in a variety of occupational fields are expected to manage their emotions according to employer demands when compared to sixty years ago.",
        ),
        ("break",),
        ("h", "Surface acting and deep acting"),
        (
            "p",
            "Arlie Hochschild's foundational text divided emotional labor into two components: surface acting and deep acting. Surface acting occurs when employees display the emotions required for a job without changing how they actually feel. Deep acting is an effortful process through which employees change their internal feelings to align with organizational expectations, producing more natural and genuine emotional displays.",
        ),
        (
            "p",
            "Although the underlying processes differ, the objective of both is typically to show positive emotions, which are presumed to impact the feelings of customers and bottom-line outcomes (e.g. sales, positive recommendations, and repeat business). However, research generally has shown surface acting is more harmful to employee health. Without a consideration of ethical values, the consequences of emotional work on employees can easily become negative.",
        ),
    ],
)

DOCS["adult-safeguarding-care-act-principles.pdf"] = dict(
    header="Adult safeguarding under the Care Act 2014",
    url="https://shropshiresafeguardingcommunitypartnership.co.uk/partnership-priority-areas/adult-safeguarding-and-protection-practice ; https://proceduresonline.com/templates/adultsg/web/p_over_aims_duties_princ.html",
    publisher="Shropshire Safeguarding Community Partnership; tri.x procedures online (both quoting the Care and support statutory guidance, Department of Health and Social Care, Open Government Licence)",
    licence="Definition, principles and aims are the Care and support statutory guidance (OGL v3.0) as quoted by these pages; page headings and layout are the publishers'",
    blocks=[
        ("title", "Adult safeguarding and protection practice"),
        (
            "meta",
            "Source: https://shropshiresafeguardingcommunitypartnership.co.uk/partnership-priority-areas/adult-safeguarding-and-protection-practice",
        ),
        ("p", "The Care Act statutory guidance defines adult safeguarding as:"),
        (
            "quote",
            "Protecting an adult's right to live in safety, free from abuse and neglect. It is about people and organisations working together to prevent and stop both the risks and experience of abuse or neglect, while at the same time making sure that the adult's wellbeing is promoted including, where appropriate, having regard to their views, wishes, feelings and beliefs in deciding on any action. This must recognise that adults sometimes have complex interpersonal relationships and may be ambivalent, unclear or unrealistic about their personal circumstances.",
        ),
        ("h", "The six principles"),
        (
            "ul",
            [
                "Empowerment: People being supported and encouraged to make their own decisions and informed consent.",
                "Prevention: It is better to take action before harm occurs.",
                "Proportionality: The least intrusive response appropriate to the risk presented.",
                "Protection: Support and representation for those in greatest need.",
                "Partnership: Local solutions through working closely with their communities. Communities have a part to play in preventing, detecting and reporting neglect and abuse.",
                "Accountability: Taking responsibility and being transparent in safeguarding practice.",
            ],
        ),
        ("break",),
        ("h", "Overarching aims, duties and principles"),
        (
            "meta",
            "Source: https://proceduresonline.com/templates/adultsg/web/p_over_aims_duties_princ.html",
        ),
        (
            "p",
            "The aims of adult safeguarding under the Care Act are both reactive and proactive as follows:",
        ),
        (
            "ol",
            [
                "To prevent harm and reduce the risk of abuse or neglect to adults with care and support needs;",
                "To stop abuse or neglect wherever possible;",
                "To safeguard adults in a way that supports them to make choices and have control about the way they want to live;",
                "To promote an approach that concentrates on improving life for the adult(s) concerned;",
                "To raise public awareness so that communities as a whole, alongside professionals, play their part in preventing, identifying and responding to abuse and neglect;",
                "To provide information and support in accessible ways to help people understand the different types of abuse, how to stay safe and well and what to do to raise a concern about the safety or wellbeing of themselves or another adult; and",
                "To address what has caused the abuse or neglect.",
            ],
        ),
        ("h", "The statutory duty to make enquiries"),
        (
            "p",
            "The Section 42 statutory duty to make enquiries (or cause enquiries to be made) applies when all the following criteria are met:",
        ),
        (
            "ol",
            [
                "The adult has needs for care and support (whether these have been assessed or are being met by the local authority or not); and",
                "They are experiencing, or at risk of experiencing abuse or neglect; and",
                "As a result of care and support needs they are unable to protect themselves against the risk of, or the experience of, abuse or neglect.",
            ],
        ),
        ("p", "Note: An adult is a person aged 18 or above."),
        (
            "p",
            "When considering whether the adult has needs for care and support, it does not matter whether their needs have been formally assessed or not (or which agency has carried out the assessment). Neither does it matter who is providing or commissioning any care and support services.",
        ),
    ],
)
