"""The documented ``/ask`` endpoint of the real web chat, called through ``gradio_client``."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.webapp import RunningApp, running_app

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    with running_app(tmp_path_factory.mktemp("api")) as running:
        yield running


@pytest.fixture(scope="module")
def client(app: RunningApp):  # noqa: ANN201
    from gradio_client import Client

    return Client(app.url, verbose=False)


def test_only_ask_is_documented(client) -> None:  # noqa: ANN001
    info = client.view_api(print_info=False, return_format="dict")
    assert list(info["named_endpoints"]) == ["/ask"]
    [param] = info["named_endpoints"]["/ask"]["parameters"]
    assert param["parameter_name"] == "question"


def test_ask_returns_the_answer_record(client) -> None:  # noqa: ANN001
    record = client.predict("What is transference?", api_name="/ask")
    assert record["question"] == "What is transference?"
    assert record["abstained"] is False
    assert "[1]" in record["text"]
    first = record["citations"][0]
    assert (first["file_name"], first["page"], first["slide"]) == ("theory.pdf", 2, None)
    assert first["label"].startswith("[1] theory.pdf, page 2")
    assert set(record) >= {"text", "citations", "abstained", "mode", "retrieval_mode", "timings"}


def test_ask_about_a_slide(client) -> None:  # noqa: ANN001
    record = client.predict("What is Kadushin's triangle of supervision?", api_name="/ask")
    slides = [c["slide"] for c in record["citations"] if c["file_name"] == "supervision.pptx"]
    assert 3 in slides


def test_abstention_through_the_api(client) -> None:  # noqa: ANN001
    record = client.predict("What is the boiling point of mercury in kelvin?", api_name="/ask")
    assert record["abstained"] is True
    assert record["citations"], "abstentions still list the closest sources"


def test_personal_data_and_risk_are_flagged(client) -> None:  # noqa: ANN001
    flagged = client.predict("My client Mrs Patel, DOB 01/02/1980: what is care?", api_name="/ask")
    assert "a date of birth" in flagged["personal_data"]
    risk = client.predict("She told me today her partner hits her every night", api_name="/ask")
    assert risk["note"] == "signposting" and "supervisor" in risk["text"]


def test_concurrent_clients_all_get_answers(app: RunningApp) -> None:
    from gradio_client import Client

    def one(i: int) -> dict:
        return Client(app.url, verbose=False).predict("What is the ethic of care?", api_name="/ask")

    with ThreadPoolExecutor(max_workers=6) as pool:
        records = list(pool.map(one, range(6)))
    assert all(r["citations"][0]["page"] == 3 for r in records)
