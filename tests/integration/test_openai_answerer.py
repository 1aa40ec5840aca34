"""The `openai` answerer against a tiny OpenAI-compatible server started on 127.0.0.1 by the test.

The server speaks just enough of ``POST /v1/chat/completions`` (JSON and server-sent events) for
langchain-openai. Its model "good" cites the source that mentions Tronto; "bad" cites a source
that does not exist, so the answer must fall back to the extractive one.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from assistant.pipeline import Assistant
from assistant.records import Answer
from assistant.settings import Settings
from tests.fakes import KeywordEmbeddings
from tests.test_pipeline import VOCAB, build_index

pytest.importorskip("langchain_openai")
pytestmark = pytest.mark.integration


def reply_for(model: str, prompt: str) -> str:
    if model == "bad":
        return "Care has four elements [9]. Nobody knows why."
    labels = re.findall(r"^\[(\d+)\] .*$\n(.*)$", prompt, re.MULTILINE)
    n = next(num for num, text in labels if "Tronto" in text)
    return (
        f"Tronto's four elements of care are attentiveness, responsibility, competence and "
        f"responsiveness [{n}]. They describe good caring practice [{n}]."
    )


class Handler(BaseHTTPRequestHandler):
    requests: list[dict[str, Any]] = []

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Handler.requests.append(
            {"path": self.path, "body": body, "auth": self.headers["Authorization"]}
        )
        prompt = "\n".join(m["content"] for m in body["messages"])
        text = reply_for(body["model"], prompt)
        if body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for piece in re.findall(r"\S+\s*", text):
                self.wfile.write(sse(chunk(body["model"], {"content": piece})))
            self.wfile.write(sse(chunk(body["model"], {}, "stop")))
            self.wfile.write(b"data: [DONE]\n\n")
        else:
            payload = {
                "id": "cmpl-1",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
            data = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)


def chunk(model: str, delta: dict[str, str], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "cmpl-1",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def sse(data: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(data)}\n\n".encode()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()


def make(settings: Settings, server: str, model: str, monkeypatch: pytest.MonkeyPatch) -> Assistant:
    monkeypatch.setenv("TEST_LLM_KEY", "sk-test-123")
    build_index(settings)
    configured = settings.model_copy(
        update={
            "answerer": "openai",
            "llm_base_url": server,
            "llm_model": model,
            "llm_api_key_env": "TEST_LLM_KEY",
            "llm_max_tokens": 123,
        }
    )
    return Assistant.from_settings(configured, embeddings=KeywordEmbeddings(VOCAB))


def test_streams_and_cites_through_an_openai_compatible_server(
    settings: Settings, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    Handler.requests.clear()
    assistant = make(settings, server, "good", monkeypatch)
    assert assistant.answerer_label == f"openai: good @ {server}"
    parts = list(assistant.stream("What are Tronto's elements of care?"))
    deltas, final = parts[:-1], parts[-1]
    assert len(deltas) > 5 and all(isinstance(d, str) for d in deltas)
    assert isinstance(final, Answer) and final.mode.startswith("openai")
    assert final.text.startswith("Tronto's four elements of care are attentiveness")
    assert final.text.count("[1]") == 2 and final.note == ""
    assert [c.page for c in final.citations] == [11]

    request = Handler.requests[-1]
    assert request["path"] == "/v1/chat/completions"
    assert request["body"]["stream"] is True
    assert (
        request["body"]["max_tokens"] == 123
    )  # sent in the body, not only as max_completion_tokens
    assert request["auth"] == "Bearer sk-test-123"
    prompt = "\n".join(m["content"] for m in request["body"]["messages"])
    assert "Question: What are Tronto's elements of care?" in prompt


def test_bad_citations_fall_back_to_extractive(
    settings: Settings, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reply = make(settings, server, "bad", monkeypatch).ask("What are Tronto's elements of care?")
    assert reply.mode == "extractive" and "did not cite" in reply.note
    assert "Attentiveness" in reply.text and reply.citations[0].page == 11


def test_out_of_corpus_question_never_reaches_the_model(
    settings: Settings, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    Handler.requests.clear()
    reply = make(settings, server, "good", monkeypatch).ask("What does the Care Act 2014 say?")
    assert reply.abstained and Handler.requests == []
