# ruff: noqa: E501  (document text, one paragraph per line)
"""Text of the second third-party corpus: openly licensed public pages, trimmed to whole sentences.

Same block format as ``tp_texts.py``: ("title", text), ("meta", text) for page furniture lines,
("h", heading), ("p", paragraph), ("ul"/"ol", [items]), ("quote", text), ("break",) for a page
break (PDF only). The PowerPoint deck is a list of ``slides`` instead: each a dict with
``title``, ``bullets`` (and ``subtitle`` on the first) and optional ``notes``.
Citation markers such as [1] were removed; wording is otherwise the source's.
"""

from typing import Any

WIKI = "Wikipedia, CC BY-SA 4.0"

DOCS: dict[str, dict[str, Any]] = {}

DOCS["mental-capacity-act-principles.pdf"] = dict(
    header="Mental Capacity Act 2005: principles and the test of capacity",
    url="https://en.wikipedia.org/wiki/Mental_Capacity_Act_2005 ; https://www.legislation.gov.uk/ukpga/2005/9/part/1",
    publisher="Wikipedia (article 'Mental Capacity Act 2005'); legislation.gov.uk (The National Archives), Mental Capacity Act 2005 sections 2 and 3",
    licence="Wikipedia CC BY-SA 4.0; legislation.gov.uk Open Government Licence v3.0",
    blocks=[
        ("title", "The Mental Capacity Act 2005"),
        ("meta", "Source: https://en.wikipedia.org/wiki/Mental_Capacity_Act_2005 (CC BY-SA 4.0)"),
        (
            "meta",
            "Statutory text: https://www.legislation.gov.uk/ukpga/2005/9 (Open Government Licence v3.0)",
        ),
        (
            "p",
            "The Mental Capacity Act 2005 (c. 9) is an act of the Parliament of the United Kingdom applying to England and Wales. Its primary purpose is to provide a legal framework for acting and making decisions on behalf of adults who lack the capacity to make particular decisions for themselves.",
        ),
        (
            "p",
            "Its long title is: an Act to make new provision relating to persons who lack capacity; to establish a superior court of record called the Court of Protection in place of the office of the Supreme Court called by that name; to make provision in connection with the Convention on the International Protection of Adults signed at the Hague on 13 January 2000; and for connected purposes. The Act received royal assent on 7 April 2005.",
        ),
        ("h", "The five principles"),
        (
            "p",
            "The five principles are outlined in Section 1 of the Act. These are designed to protect people who lack capacity to make particular decisions and to maximise their ability to make decisions and participate in decision-making, as far as they are able to do so.",
        ),
        (
            "ol",
            [
                "A person must be assumed to have capacity unless it is established that he/she lacks capacity.",
                "A person is not to be treated as unable to make a decision unless all practicable steps to help him/her to do so have been taken without success.",
                "A person is not to be treated as unable to make a decision merely because he/she makes an unwise decision.",
                "An act done, or decision made, under this Act for or on behalf of a person who lacks capacity must be done, or made, in his/her best interests.",
                "Before the act is done, or the decision is made, regard must be had to whether the purpose for which it is needed can be as effectively achieved in a way that is less restrictive of the person's rights and freedom of action.",
            ],
        ),
        ("break",),
        ("h", "People who lack capacity (section 2)"),
        ("meta", "Source: Mental Capacity Act 2005, section 2, legislation.gov.uk"),
        (
            "p",
            "For the purposes of this Act, a person lacks capacity in relation to a matter if at the material time he is unable to make a decision for himself in relation to the matter because of an impairment of, or a disturbance in the functioning of, the mind or brain. It does not matter whether the impairment or disturbance is permanent or temporary.",
        ),
        ("p", "A lack of capacity cannot be established merely by reference to:"),
        (
            "ul",
            [
                "a person's age or appearance, or",
                "a condition of his, or an aspect of his behaviour, which might lead others to make unjustified assumptions about his capacity.",
            ],
        ),
        (
            "p",
            "In proceedings under this Act or any other enactment, any question whether a person lacks capacity within the meaning of this Act must be decided on the balance of probabilities. No power which a person may exercise under this Act in relation to a person who lacks capacity is exercisable in relation to a person under 16.",
        ),
        ("h", "Inability to make decisions (section 3)"),
        ("meta", "Source: Mental Capacity Act 2005, section 3, legislation.gov.uk"),
        ("p", "A person is unable to make a decision for himself if he is unable:"),
        (
            "ol",
            [
                "to understand the information relevant to the decision,",
                "to retain that information,",
                "to use or weigh that information as part of the process of making the decision, or",
                "to communicate his decision (whether by talking, using sign language or any other means).",
            ],
        ),
        (
            "p",
            "A person is not to be regarded as unable to understand the information relevant to a decision if he is able to understand an explanation of it given to him in a way that is appropriate to his circumstances (using simple language, visual aids or any other means). The fact that a person is able to retain the information relevant to a decision for a short period only does not prevent him from being regarded as able to make the decision.",
        ),
        (
            "p",
            "The information relevant to a decision includes information about the reasonably foreseeable consequences of deciding one way or another, or of failing to make the decision.",
        ),
    ],
)

DOCS["social-model-of-disability.pdf"] = dict(
    header="Practice reader: the social model of disability",
    url="https://en.wikipedia.org/wiki/Social_model_of_disability ; https://en.wikipedia.org/wiki/Union_of_the_Physically_Impaired_Against_Segregation",
    publisher="Wikipedia (articles 'Social model of disability' and 'Union of the Physically Impaired Against Segregation')",
    licence=WIKI,
    blocks=[
        ("title", "The social model of disability"),
        ("meta", "Source: https://en.wikipedia.org/wiki/Social_model_of_disability"),
        (
            "meta",
            "From Wikipedia, the free encyclopedia. Text licensed CC BY-SA 4.0. Retrieved 2026.",
        ),
        (
            "p",
            "The social model of disability identifies systemic barriers, derogatory attitudes, and social exclusion (intentional or inadvertent), which make it difficult or impossible for disabled people to attain their valued functionings. The social model of disability diverges from the dominant medical model of disability, which is a functional analysis of the body as a machine to be fixed in order to conform with normative values. While physical, sensory, intellectual, or psychological variations may result in individual functional differences, these do not necessarily have to lead to disability unless society fails to take account of and include people intentionally with respect to their individual needs. The origin of the approach can be traced to the 1960s, and the specific term emerged from the United Kingdom in the 1980s.",
        ),
        ("h", "Impairment and disability"),
        (
            "p",
            "The social model of disability is based on a distinction between the terms impairment and disability. In this model, the word impairment is used to refer to the actual attributes (or lack of attributes) that affect a person, such as the inability to walk or breathe independently. It seeks to redefine disability to refer to the restrictions caused by society when it does not give equitable social and structural support according to disabled peoples' structural needs.",
        ),
        (
            "p",
            "As a simple example, if a person is unable to climb stairs, the medical model focuses on making the individual physically able to climb stairs. The social model tries to make stair-climbing unnecessary, such as by making society adapt to their needs, and assist them by replacing the stairs with a wheelchair-accessible ramp.",
        ),
        ("h", "Mike Oliver"),
        (
            "p",
            'Following the UPIAS "social definition of disability", in 1983 the disabled academic Mike Oliver coined the phrase social model of disability in reference to these ideological developments. Oliver focused on the idea of an individual model (of which the medical was a part) versus a social model, derived from the distinction originally made between impairment and disability by the UPIAS. Oliver\'s 1990 book The Politics of Disablement is widely cited.',
        ),
        ("break",),
        ("h", "The Union of the Physically Impaired Against Segregation"),
        (
            "meta",
            "Source: https://en.wikipedia.org/wiki/Union_of_the_Physically_Impaired_Against_Segregation",
        ),
        (
            "p",
            "The Union of the Physically Impaired Against Segregation (UPIAS) was an early disability rights organisation in the United Kingdom. It established the principles that led to the development of the social model of disability, wherein a sharp distinction is made between impairment and disability. From the organisation's policy statement:",
        ),
        (
            "quote",
            '"What we are interested in, are ways of changing our conditions of life, and thus overcoming the disabilities which are imposed on top our physical impairments by the way this society is organised to exclude us."',
        ),
        (
            "p",
            "UPIAS was begun in 1972 by Paul Hunt when he invited disabled people to form a group to confront disability issues, in a letter to The Guardian newspaper, 20 September 1972. It was later officially founded by him and Vic Finkelstein. Hunt developed his ideas when he was living in an institution (Le Court, Hampshire, a Leonard Cheshire Home) where he and others had been struggling in the 1960s with the authorities over the right of disabled people to control their own lives.",
        ),
        (
            "p",
            "The organisation's overtly political platform contrasted with the then predominant charity orientation of organisations involved in disability issues. Their founding statement explicitly rejected the charity concept: registered charities are not allowed to campaign directly for political change, and UPIAS regarded political involvement as essential, so in order to protect its independence of action it was not registered with the Charity Commissioners.",
        ),
        ("p", "UPIAS created new definitions of impairment and disability:"),
        (
            "ul",
            [
                'impairment: "lacking part of or all of a limb, or having a defective limb, organism or mechanism of the body";',
                'disability: "the disadvantage or restriction of activity caused by contemporary organisation which takes no or little account of people who have physical impairments and thus excludes them from participation in the mainstream of social activities".',
            ],
        ),
    ],
)

DOCS["adverse-childhood-experiences.pdf"] = dict(
    header="Adverse childhood experiences (ACEs)",
    url="https://en.wikipedia.org/wiki/Adverse_childhood_experiences",
    publisher="Wikipedia (article 'Adverse childhood experiences'); R. Anda, 'The Health and Social Impact of Growing Up With Adverse Childhood Experiences' (handout stated to be in the public domain)",
    licence="Wikipedia CC BY-SA 4.0; Anda handout: public domain",
    blocks=[
        ("title", "Adverse childhood experiences"),
        (
            "meta",
            "Source: https://en.wikipedia.org/wiki/Adverse_childhood_experiences (CC BY-SA 4.0)",
        ),
        (
            "p",
            "Adverse childhood experiences (ACEs) include childhood emotional, physical, or sexual abuse and household dysfunction during childhood. The categories are verbal abuse, physical abuse, contact sexual abuse, a battered mother/father, household substance abuse, household mental illness, incarcerated household members, and parental separation or divorce. The experiences chosen were based upon prior research that has shown them to have significant negative health or social implications, and for which substantial efforts are being made in the public and private sector to reduce their frequency of occurrence.",
        ),
        (
            "p",
            "Scientific evidence is mounting that such adverse childhood experiences have a profound long-term effect on health. Research shows that exposure to abuse and to serious forms of family dysfunction in the childhood family environment are likely to activate the stress response, thus potentially disrupting the developing nervous, immune, and metabolic systems of children. ACEs are associated with lifelong physical and mental health problems that emerge in adolescence and persist into adulthood, including cardiovascular disease, chronic obstructive pulmonary disease, autoimmune diseases, substance abuse, and depression.",
        ),
        ("h", "Definition and types"),
        (
            "p",
            "The concept of adverse childhood experiences refers to various traumatic events or circumstances affecting children before the age of 18 and causing mental or physical harm. Types of ACEs include:",
        ),
        (
            "ul",
            [
                "Physical abuse: any intentional act that causes physical harm through bodily contact.",
                "Sexual abuse: any forceful, unwanted, or otherwise abusive sexual behavior.",
                "Psychological abuse: any intentional act that causes psychological harm, such as gaslighting, bullying, or guilt-tripping.",
                "Physical neglect: failure to help meet the basic biological needs of a child, such as food, water, and shelter.",
            ],
        ),
        (
            "p",
            "The different adverse childhood experiences are not isolated and in many cases multiple ACEs impact someone at the same time.",
        ),
        ("break",),
        ("h", "Prevalence"),
        (
            "p",
            "Adverse childhood experiences are common across all parts of societies. In 2009 the CDC started collecting data on the prevalence of ACEs as part of the Behavioral Risk Factor Surveillance System (BRFSS). In the first year data was collected across five US states and included over 24,000 people.",
        ),
        ("h", "The ACE Study"),
        (
            "meta",
            "Source: R. Anda, The Health and Social Impact of Growing Up With Adverse Childhood Experiences (public domain handout)",
        ),
        (
            "p",
            "The Adverse Childhood Experiences (ACE) Study is a decade-long and ongoing study designed to examine the childhood origins of many of the nation's leading health and social problems. The Study represents collaboration between the Centers for Disease Control and Prevention (CDC) and the Kaiser Health Plan's Department of Preventive Medicine in San Diego, California.",
        ),
        (
            "p",
            "The key concept underlying the Study is that stressful or traumatic childhood experiences such as abuse, neglect, witnessing domestic violence, or growing up with alcohol or other substance abuse, mental illness, parental discord, or crime in the home are a common pathway to social, emotional, and cognitive impairments that lead to increased risk of unhealthy behaviors, risk of violence or re-victimization, disease, disability and premature mortality.",
        ),
        (
            "p",
            "Key among the constellation of these experiences is growing up in households affected by alcohol abuse; others include abuse (emotional, physical, sexual), neglect (emotional, physical), witnessing domestic violence, and growing up with substance abusing, mentally ill, parental discord, or crime in the home. Breakthroughs in neurobiology show that ACEs disrupt neurodevelopment and can have lasting effects on brain structure and function.",
        ),
    ],
)

DOCS["ecological-systems-theory.pdf"] = dict(
    header="Ecological systems theory",
    url="https://en.wikipedia.org/wiki/Ecological_systems_theory ; https://en.wikipedia.org/wiki/Social_ecological_model",
    publisher="Wikipedia (articles 'Ecological systems theory' and 'Social ecological model')",
    licence=WIKI,
    blocks=[
        ("title", "Ecological systems theory"),
        ("meta", "Source: https://en.wikipedia.org/wiki/Ecological_systems_theory (CC BY-SA 4.0)"),
        (
            "p",
            "Ecological systems theory is a broad term used to capture the theoretical contributions of developmental psychologist Urie Bronfenbrenner. Bronfenbrenner developed the foundations of the theory throughout his career, published a major statement of the theory in American Psychologist, articulated it in a series of propositions and hypotheses in his most cited book, The Ecology of Human Development, and further developed it in The Bioecological Model of Human Development and later writings.",
        ),
        (
            "p",
            'A primary contribution of ecological systems theory was to systemically examine contextual variability in development processes. As the theory evolved, it placed increasing emphasis on the role of the developing person as an active agent in development and on understanding developmental process rather than "social addresses" (e.g., gender, ethnicity) as explanatory mechanisms.',
        ),
        ("h", "Overview"),
        (
            "p",
            "Ecological systems theory describes a scientific approach to studying lifespan development that emphasizes the interrelationship of different developmental processes (e.g., cognitive, social, biological). It is characterized by its emphasis on naturalistic and quasi-experimental studies, although several important studies using this framework use experimental methodology.",
        ),
        (
            "p",
            "Although developmental processes are thought to be universal, they are thought to (a) show contextual variability in their likelihood of occurring, (b) occur in different constellations in different settings and (c) affect different people differently. Because of this variability, scientists working within this framework use individual and contextual variability to provide insight into these universal processes.",
        ),
        (
            "p",
            "The foundations of ecological systems theory can be seen throughout Bronfenbrenner's career. For example, in the 1950s he analyzed historical and social class variations in parenting practices, and in the 1960s he wrote an analysis of gender differences.",
        ),
        ("break",),
        ("h", "The nested systems"),
        ("meta", "Source: https://en.wikipedia.org/wiki/Social_ecological_model (CC BY-SA 4.0)"),
        (
            "p",
            "Introduced as a conceptual model in the 1970s, formalized as a theory in the 1980s, and continually revised by Bronfenbrenner until his death in 2005, Urie Bronfenbrenner's Ecological Framework for Human Development applies socioecological models to human development. In his initial theory, Bronfenbrenner postulated that in order to understand human development, the entire ecological system in which growth occurs needs to be taken into account. In subsequent revisions, Bronfenbrenner acknowledged the relevance of biological and genetic aspects of the person in human development.",
        ),
        (
            "p",
            "At the core of Bronfenbrenner's ecological model is the child's biological and psychological makeup, based on individual and genetic developmental history. This makeup continues to be affected and modified by:",
        ),
        (
            "ul",
            [
                "the child's immediate physical and social environment (microsystem);",
                "interactions among the systems within the environment (mesosystems);",
                "other broader social, political and economic conditions (exosystem), which influence the structure and availability of microsystems and the manner in which they affect the child;",
                "the general beliefs and attitudes (macrosystems) shared by members of the society, which themselves influence social, political, and economic conditions.",
            ],
        ),
        (
            "p",
            "Socio-ecological models were developed to further the understanding of the dynamic interrelations among various personal and environmental factors. Socioecological models were introduced to urban studies by sociologists associated with the Chicago School after the First World War as a reaction to the narrow scope of most research conducted by developmental psychologists.",
        ),
    ],
)

DOCS["anti-oppressive-practice.pdf"] = dict(
    header="Anti-oppressive practice",
    url="https://en.wikipedia.org/wiki/Anti-oppressive_practice",
    publisher="Wikipedia (article 'Anti-oppressive practice')",
    licence=WIKI,
    blocks=[
        ("title", "Anti-oppressive practice"),
        ("meta", "Source: https://en.wikipedia.org/wiki/Anti-oppressive_practice"),
        (
            "meta",
            "From Wikipedia, the free encyclopedia. Text licensed CC BY-SA 4.0. Retrieved 2026.",
        ),
        (
            "p",
            "Anti-oppressive practice is an interdisciplinary approach primarily rooted within the practice of social work that focuses on ending socioeconomic oppression. It requires the practitioner to critically examine the power imbalance inherent in an organizational structure with regard to the larger sociocultural and political context in order to develop strategies for creating an egalitarian environment free from oppression, racism, and other forms of discrimination in the larger society, by engaging at the legal and political level.",
        ),
        (
            "p",
            "In general community practice it is about responding to oppression by dominant groups and individuals. In social services it regulates any possible oppressive practices and helps in delivering welfare services in an inclusive manner.",
        ),
        ("h", "Introduction"),
        (
            "p",
            "Anti-oppressive practice seeks to lessen the exclusion of certain social groups from social equality, rights and social justice. Social work generally is known to be a \"caring\" profession, but sometimes services provided that work for one person do not necessarily work for another or reflect the sensitivity required to work for another. Related to this there may be a 'care versus control' issue, because where there is care there is responsibility, and therefore control and power which can lead to exclusions (Humphries, 2004).",
        ),
        (
            "p",
            "Knowingly and deliberately causing discrimination to another constitutes an oppressive practice; the behavior also matters as much as intent. The onus of the social worker is to show s/he exercised due diligence according to generally accepted practices and conducts him/herself in a manner generally accepted by society.",
        ),
        ("h", "Oppression"),
        (
            "p",
            "An imbalance in care and control of services may lead to oppression. Lena Dominelli (2002) defines oppression as:",
        ),
        (
            "quote",
            '"relations that divide people into dominant or superior groups and subordinate or inferior ones."',
        ),
    ],
)

DOCS["restorative-practices.docx"] = dict(
    url="https://en.wikipedia.org/wiki/Restorative_practices",
    publisher="Wikipedia (article 'Restorative practices')",
    licence=WIKI,
    blocks=[
        ("title", "Restorative practices"),
        (
            "meta",
            "Source: https://en.wikipedia.org/wiki/Restorative_practices (Wikipedia, CC BY-SA 4.0)",
        ),
        (
            "p",
            "Restorative practices (or RP) is a social science field concerned with improving and repairing relationships and social connections among people. Whereas a zero tolerance social mediation system prioritizes punishment, RP privileges the repair of harm and dialogue among actors. In fact, the purpose of RP is to build healthy communities, increase social capital, decrease crime and antisocial behavior, mend harm and restore relationships. It ties together research in a variety of social science fields, including education, psychology, social work, criminology, sociology, organizational development and leadership. RP has been growing in popularity since the early 2000s and varying approaches exist.",
        ),
        ("h", "Overview"),
        (
            "p",
            "The social science of restorative practices offers a common thread to tie together theory, research and practice in diverse fields such as education, counseling, criminal justice, social work and organizational management. Individuals and organizations in many fields are developing models and methodology and performing empirical research that share the same implicit premise, but are often unaware of the commonality of each other's efforts.",
        ),
        (
            "p",
            "In education, restorative practices, such as circles and groups, provide opportunities for students to share their feelings, build relationships and solve problems, and when there is wrongdoing, to play an active role in addressing the wrong and making things right. Urban educators who carry out RP have observed a decrease in disciplinary issues and absenteeism, a heightened sense of community, as well as an increase in school safety and instructional time.",
        ),
        (
            "p",
            "In criminal justice, restorative circles and restorative conferences allow victims, offenders and their respective family members and friends to come together to explore how everyone has been affected by an offense. In England's Criminal Justice System, prisons use RP to stimulate positive social interactions and decrease tension when situational challenges arise.",
        ),
        (
            "p",
            "These various fields employ different terms, all of which fall under the rubric of restorative practices:",
        ),
        (
            "ul",
            [
                'in the criminal justice field the phrase used is "restorative justice";',
                'in social work the term employed is "empowerment";',
                'in education, talk is of "positive discipline" or "the responsive classroom";',
                'in organizational leadership "horizontal management" is referenced.',
            ],
        ),
        ("h", "History and theory"),
        (
            "p",
            "In Elmira, Ontario, Canada, near Kitchener, in 1974 Mark Yantzi, a probation officer, arranged for two teenagers to meet directly with their victims following a vandalism spree and agree to restitution. The positive response by the victims led to the world's first victim-offender reconciliation program, in Kitchener, with the support of the Mennonite Central Committee and collaboration with the local probation department. Restorative justice echoes ancient and indigenous practices employed in cultures all over the world.",
        ),
        (
            "p",
            "The criminologist John Braithwaite has asserted that reliance on punishment as a social regulator is problematic because it shames and stigmatizes wrongdoers, pushes them into a negative societal subculture and fails to change their behavior. The restorative approach, on the other hand, reintegrates wrongdoers back into their community and reduces the likelihood that they will reoffend.",
        ),
        (
            "p",
            "Some researchers also classify the study of restorative practice through the concept of process and values. In this framework, process refers to the specific actions taken to repair harms and/or build community. Values refer to the overarching principles that guide those actions and that differ from more traditional justice that may be punitive.",
        ),
        (
            "p",
            "When a specific behavior or incident impacts individuals in the class or group, restorative circles aim to restore the climate and culture of the group through conflict resolution. Sometimes specific restorative conferences may transpire, which are direct and individual conferences between specific parties to discuss and resolve troubling behaviors and emotions.",
        ),
    ],
)

DOCS["solution-focused-brief-therapy.docx"] = dict(
    url="https://en.wikipedia.org/wiki/Solution-focused_brief_therapy",
    publisher="Wikipedia (article 'Solution-focused brief therapy')",
    licence=WIKI,
    blocks=[
        ("title", "Solution-focused brief therapy"),
        (
            "meta",
            "Source: https://en.wikipedia.org/wiki/Solution-focused_brief_therapy (Wikipedia, CC BY-SA 4.0)",
        ),
        (
            "p",
            "Solution-focused (brief) therapy (SFBT) is a goal-directed collaborative approach to psychotherapeutic change that is conducted through direct observation of clients' responses to a series of precisely constructed questions. Based upon social constructionist thinking and Wittgensteinian philosophy, SFBT focuses on addressing what clients want to achieve without exploring the history and provenance of problem(s). SF therapy sessions typically focus on the present and future, focusing on the past only to the degree necessary for communicating empathy and accurate understanding of the client's concerns.",
        ),
        (
            "p",
            "SFBT was developed by Steve de Shazer and Insoo Kim Berg and their colleagues at the Brief Family Therapy Center in Milwaukee, Wisconsin.",
        ),
        ("h", "Tools of the approach"),
        (
            "p",
            "Questions and compliments are the primary tools of the solution-focused approach. SF therapists and counselors deliberately refrain from making interpretations and rarely confront their clients. Instead, they focus on identifying the client's goals, generating a detailed description of what life will be like when the goal is accomplished and the problem is either gone or coped with satisfactorily.",
        ),
        (
            "p",
            "In order to develop effective solutions, they search diligently through the client's life experiences for \"exceptions\", e.g. times when some aspect of the client's goal was already happening to some degree, utilizing these to co-construct uniquely appropriate and effective solutions.",
        ),
        ("h", "The miracle question"),
        (
            "p",
            "The miracle question is a method of questioning that a coach, therapist, or counselor uses to aid the client to envision how the future will be different when the problem is no longer present. Also, this may help to establish goals. A traditional version of the miracle question would go like this:",
        ),
        (
            "quote",
            "\"I am going to ask you a rather strange question. After we talk, you will go back to your work (home, school) and you will do whatever you need to do the rest of today. It will become time to go to bed. In the middle of the night, a miracle happens and the problem that prompted you to talk to me today is solved! But because this happens while you are sleeping, you have no way of knowing that there was an overnight miracle that solved the problem. So, when you wake up tomorrow morning, what might be the small change that will make you say to yourself, 'Wow, something must have happened—the problem is gone!'\"",
        ),
        (
            "p",
            "Whilst relatively easy to state, the miracle question requires considerable skill to ask well. The question must be asked slowly with close attention to the person's non-verbal communication to ensure that the pace matches the person's ability to follow the question. Initial responses frequently include a sense of \"I don't know.\" To ask the question well this should be met with respectful silence to give the person time to fully absorb the question.",
        ),
        (
            "p",
            "Once the miracle day has been thoroughly explored the worker can follow this with scales: on a scale where 0 = worst things have ever been and 10 = the miracle day, where are you now? Where would it need to be for you to know that you didn't need to see me any more?",
        ),
    ],
)

DOCS["trauma-informed-approach.pptx"] = dict(
    url="https://store.samhsa.gov/product/samhsas-concept-trauma-and-guidance-trauma-informed-approach/sma14-4884 ; https://en.wikipedia.org/wiki/Trauma-informed_care",
    publisher="SAMHSA, 'SAMHSA's Concept of Trauma and Guidance for a Trauma-Informed Approach' (HHS Publication No. (SMA) 14-4884, July 2014); Wikipedia (article 'Trauma-informed care')",
    licence="SAMHSA publication: public domain (its Public Domain Notice); Wikipedia CC BY-SA 4.0",
    title="A trauma-informed approach",
    slides=[
        dict(
            title="A trauma-informed approach",
            subtitle="Key ideas from SAMHSA's Concept of Trauma and Guidance for a Trauma-Informed Approach (July 2014) and the Wikipedia article 'Trauma-informed care'",
            bullets=[],
            notes="SAMHSA is the Substance Abuse and Mental Health Services Administration, part of the U.S. Department of Health and Human Services. The 2014 guidance was prepared by SAMHSA's Trauma and Justice Strategic Initiative and is in the public domain.",
        ),
        dict(
            title="SAMHSA's concept of trauma",
            bullets=[
                "Individual trauma results from an event, series of events, or set of circumstances that is experienced by an individual as physically or emotionally harmful or life threatening and that has lasting adverse effects on the individual's functioning and mental, physical, social, emotional, or spiritual well-being.",
            ],
            notes="Three components of this definition are important: the event, the experience of the event, and its effects. They are often called the three Es.",
        ),
        dict(
            title="The three Es: event, experience, effects",
            bullets=[
                "Events and circumstances may include the actual or extreme threat of physical or psychological harm (natural disasters, violence, etc.), or severe life-threatening neglect for a child that imperils healthy development.",
                "An individual's experience of these events or circumstances helps to determine whether it is a traumatic event. A particular event may be experienced as traumatic for one individual and not for another.",
                "The long-lasting adverse effects of the event are a critical component of trauma. These adverse effects may occur immediately or may have a delayed onset.",
            ],
            notes="The duration of the effects can be short to long term. In some situations, the individual may not recognize the connection between the traumatic events and the effects.",
        ),
        dict(
            title="The four Rs",
            bullets=[
                "Realize the widespread impact of trauma and understand potential paths for recovery",
                "Recognize the signs and symptoms of trauma in clients, families, staff, and others involved with the system",
                "Respond by fully integrating knowledge about trauma into policies, procedures, and practices",
                "Actively resist re-traumatization",
            ],
            notes="SAMHSA uses this four Rs rubric to describe a trauma-informed organization, program, or system.",
        ),
        dict(
            title="Six key principles",
            bullets=[
                "Safety",
                "Trustworthiness and transparency",
                "Peer support",
                "Collaboration and mutuality",
                "Empowerment, voice and choice",
                "Cultural, historical, and gender issues",
            ],
        ),
        dict(
            title="What happened to you?",
            bullets=[
                "A basic view of trauma-informed care (TIC) involves developing a holistic appreciation of the potential effects of trauma with the goal of expanding the care-provider's empathy while creating a feeling of safety.",
                'Under this view, it is often stated that a trauma-informed approach asks not "What is wrong with you?" but rather "What happened to you?"',
                "A more expansive view includes developing an understanding of danger-response.",
            ],
            notes="In this view, danger is understood to be broad, include relationship dangers, and can be subjectively experienced. Danger exposure is understood to impact someone's past and present adaptive responses and information processing patterns.",
        ),
        dict(
            title="Frameworks and where they apply",
            bullets=[
                "There is no one single TIC framework, or model, and some go by slightly different names, including Trauma- and violence-Informed Care (TVIC).",
                "TIC frameworks can be applied in many contexts including medicine, mental health, law, education, architecture, addiction, gender, culture, and interpersonal relationships.",
                "Most frameworks incorporate a biopsychosocial perspective, attending to the integrated effects on biology (body and brain), psychology (mind), and sociology (relationship).",
            ],
        ),
        dict(
            title="Origins",
            bullets=[
                "Harris and Fallot first articulated the concept of trauma-informed care (TIC) in 2001.",
                "People who have been exposed to life-altering danger need safety, choice, and support in healing relationships.",
                "Client-centered and capacity-building approaches are emphasized.",
            ],
            notes="Sources: SAMHSA's Concept of Trauma and Guidance for a Trauma-Informed Approach, HHS Publication No. (SMA) 14-4884, 2014 (public domain); Wikipedia, 'Trauma-informed care' (CC BY-SA 4.0).",
        ),
    ],
)
