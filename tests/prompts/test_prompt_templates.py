"""Prompt templates behave as langchain-core 1.8's: variables, values, errors, and ``prompt | model``."""

from __future__ import annotations

import pytest

from runtime import FakeListChatModel, StrOutputParser
from runtime.messages import AIMessage, HumanMessage, SystemMessage
from runtime.prompts import (
    ChatPromptTemplate,
    ChatPromptValue,
    HumanMessagePromptTemplate,
    MessagesPlaceholder,
    PromptTemplate,
    StringPromptValue,
    SystemMessagePromptTemplate,
)


def test_prompt_template_variables_and_value() -> None:
    prompt = PromptTemplate.from_template("tell me a {adjective} joke about {topic}, {{literally}}")
    assert prompt.input_variables == ["adjective", "topic"]
    assert prompt.format(adjective="bad", topic="cats") == "tell me a bad joke about cats, {literally}"
    value = prompt.invoke({"adjective": "bad", "topic": "cats"})
    assert value == StringPromptValue("tell me a bad joke about cats, {literally}")
    assert value.to_messages() == [HumanMessage("tell me a bad joke about cats, {literally}")]


def test_one_variable_takes_a_bare_input_and_several_do_not() -> None:
    assert PromptTemplate.from_template("about {topic}").invoke("cats").to_string() == "about cats"
    with pytest.raises(TypeError, match="Expected mapping type as input to PromptTemplate"):
        PromptTemplate.from_template("{a} {b}").invoke("cats")


def test_missing_variable_is_a_key_error_naming_it() -> None:
    with pytest.raises(KeyError, match=r"missing variables \{'topic'\}"):
        ChatPromptTemplate.from_template("a joke about {topic}").invoke({"other": 1})


@pytest.mark.parametrize("bad", ["{a.b}", "{a[0]}", "{0}", "{}"])
def test_fields_that_are_not_plain_names_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="Invalid variable name"):
        PromptTemplate.from_template(bad)


def test_unsupported_template_format_is_named() -> None:
    with pytest.raises(ValueError, match="'jinja2'"):
        PromptTemplate.from_template("{{ x }}", template_format="jinja2")


def test_partial_fills_a_variable_in_advance() -> None:
    prompt = PromptTemplate.from_template("{greeting}, {name}").partial(greeting="hello")
    assert prompt.input_variables == ["name"]
    assert prompt.invoke("ann").to_string() == "hello, ann"


def test_chat_prompt_from_messages_in_every_form() -> None:
    prompt = ChatPromptTemplate.from_messages([
        ("system", "You are {style}."),
        MessagesPlaceholder("history"),
        {"role": "user", "content": "{question}"},
        (AIMessage, "noted: {question}"),
        SystemMessage("fixed {not_a_variable}"),
        ("placeholder", "{scratch}"),
    ])
    assert prompt.input_variables == ["history", "question", "style"]
    assert prompt.optional_variables == ["scratch"]
    messages = prompt.format_messages(style="terse", history=[("human", "hi"), ("ai", "hey")], question="why?")
    assert messages == [
        SystemMessage("You are terse."), HumanMessage("hi"), AIMessage("hey"), HumanMessage("why?"),
        AIMessage("noted: why?"), SystemMessage("fixed {not_a_variable}"),
    ]
    value = prompt.invoke({"style": "terse", "history": [], "question": "q", "scratch": [HumanMessage("s")]})
    assert isinstance(value, ChatPromptValue)
    assert value.to_messages()[-1] == HumanMessage("s")
    assert value.to_string().splitlines()[0] == "System: You are terse."


def test_placeholder_rules() -> None:
    with pytest.raises(KeyError):
        MessagesPlaceholder("history").format_messages()
    assert MessagesPlaceholder("history", optional=True).format_messages() == []
    with pytest.raises(ValueError, match="should be a list"):
        MessagesPlaceholder("history").format_messages(history="hi")
    last = MessagesPlaceholder("h", n_messages=1).format_messages(h=[("human", "a"), ("human", "b")])
    assert last == [HumanMessage("b")]
    with pytest.raises(ValueError, match="Invalid placeholder template"):
        ChatPromptTemplate.from_messages([("placeholder", "history")])


def test_unknown_role_is_named() -> None:
    with pytest.raises(ValueError, match="'robot'"):
        ChatPromptTemplate.from_messages([("robot", "{x}")])


def test_message_templates_and_adding_prompts() -> None:
    prompt = ChatPromptTemplate.from_messages([SystemMessagePromptTemplate.from_template("be {tone}")])
    prompt = prompt + HumanMessagePromptTemplate.from_template("{q}") + "and {more}"
    assert prompt.input_variables == ["more", "q", "tone"]
    assert prompt.format(tone="kind", q="hi", more="x") == "System: be kind\nHuman: hi\nHuman: and x"


def test_prompt_pipes_into_a_model_and_runs_as_a_prompt_run() -> None:
    chain = ChatPromptTemplate.from_template("tell me a joke about {topic}") | FakeListChatModel(["ha ha"]) | StrOutputParser()
    assert chain.invoke({"topic": "parrots"}) == "ha ha"
    assert list(chain.stream({"topic": "parrots"})) == ["h", "a", " ", "h", "a"]


async def test_prompt_events() -> None:
    prompt = ChatPromptTemplate.from_template("about {topic}")
    events = [e async for e in prompt.astream_events({"topic": "x"}, version="v2")]
    assert [e["event"] for e in events] == ["on_prompt_start", "on_prompt_end"]
    assert events[0]["name"] == "ChatPromptTemplate"
    assert events[0]["data"]["input"] == {"topic": "x"}
    assert events[1]["data"]["output"] == ChatPromptValue([HumanMessage("about x")])


def test_a_chat_model_takes_a_string_prompt_value() -> None:
    model = FakeListChatModel(["ok"])
    assert (PromptTemplate.from_template("{x}") | model).invoke("hi").content == "ok"


def test_adding_a_list_or_tuple_adds_its_items_as_messages() -> None:
    prompt = ChatPromptTemplate.from_template("x {y}")
    # As langchain-core: a tuple is a sequence of message-likes, so ("ai", "{z}") is two human messages.
    assert [m.content for m in (prompt + ("ai", "{z}")).format_messages(y=1, z=2)] == ["x 1", "ai", "2"]
    assert (prompt + [("ai", "{z}")]).format_messages(y=1, z=2)[-1] == AIMessage("2")


def test_chat_message_template_keeps_its_role() -> None:
    from runtime.messages import ChatMessage
    from runtime.prompts import ChatMessagePromptTemplate

    prompt = ChatPromptTemplate.from_messages([ChatMessagePromptTemplate.from_template("{x} said", role="narrator")])
    (message,) = prompt.format_messages(x="she")
    assert isinstance(message, ChatMessage) and (message.role, message.content) == ("narrator", "she said")


def test_a_custom_base_chat_prompt_template_nests_in_a_chat_prompt() -> None:
    from runtime.prompts import BaseChatPromptTemplate

    class Echo(BaseChatPromptTemplate):
        def format_messages(self, **kwargs: object) -> list:  # type: ignore[override]
            return [HumanMessage(str(kwargs["said"]))]

    inner = Echo(input_variables=["said"])
    assert inner.invoke({"said": "hi"}) == ChatPromptValue([HumanMessage("hi")])
    outer = ChatPromptTemplate.from_messages([("system", "be {tone}"), inner])
    assert outer.input_variables == ["said", "tone"]
    assert outer.format(tone="kind", said="hi") == "System: be kind\nHuman: hi"


async def test_format_document_fills_content_and_metadata() -> None:
    from runtime.prompts import aformat_document, format_document
    from runtime.runnables import Document

    doc = Document("This is a joke", metadata={"page": "1"})
    prompt = PromptTemplate.from_template("Page {page}: {page_content}")
    assert format_document(doc, prompt) == "Page 1: This is a joke"
    assert await aformat_document(doc, prompt) == "Page 1: This is a joke"
    with pytest.raises(ValueError, match=r"missing metadata: \['source'\]"):
        format_document(doc, PromptTemplate.from_template("{source}: {page_content}"))
