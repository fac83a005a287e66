"""``get_graph()``: edges, their labels and conditions, subgraphs, and the Mermaid and JSON forms.

The expected Mermaid texts were produced by LangGraph 1.2 / langchain-core 1.8
for the same graphs (built identically with their imports) and are pasted here.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, TypedDict

import pytest

from graphs import END, START, Command, Graph, StateGraph, ToolNode
from runtime.runnables.graph import CurveStyle, Edge, Node
from runtime.tools import tool


class S(TypedDict):
    x: int
    log: Annotated[list[Any], operator.add]


def f(s: S) -> dict[str, Any]:
    return {}


def router(s: S) -> str:
    return "b"


def agent_route(s: S) -> Literal["tools", "__end__"]:
    return END


def cmd(s: S) -> Command[Literal["b", "c"]]:
    return Command(goto="b")


def build(kind: str) -> Any:
    """The graphs the expected texts were drawn from (the same code ran on LangGraph)."""
    g = StateGraph(S)
    if kind == "chain":
        g.add_node("a", f); g.add_node("b", f); g.add_edge(START, "a"); g.add_edge("a", "b"); g.add_edge("b", END)
        return g.compile()
    if kind == "path_map":
        g.add_node("a", f); g.add_node("b", f); g.add_node("c", f)
        g.add_edge(START, "a"); g.add_conditional_edges("a", router, {"go b": "b", "go c": "c", "stop": END})
        g.add_edge("b", "c"); g.add_edge("c", END)
        return g.compile(interrupt_before=["b"], interrupt_after=["b", "c"])
    if kind == "join":
        g.add_node("a", f, metadata={"k": "v", "n": 1}); g.add_node("b", f); g.add_node("c", f); g.add_node("d", f)
        g.add_edge(START, "a"); g.add_edge("a", "b"); g.add_edge("a", "c"); g.add_edge(["b", "c"], "d"); g.add_edge("d", END)
        return g.compile()
    if kind == "cycle":
        g.add_node("agent", f); g.add_node("tools", f)
        g.add_edge(START, "agent"); g.add_conditional_edges("agent", agent_route); g.add_edge("tools", "agent")
        return g.compile()
    if kind == "command":
        g.add_node("a", cmd); g.add_node("b", f); g.add_node("c", f); g.add_edge(START, "a")
        return g.compile()
    if kind == "no_map":
        g.add_node("a", f); g.add_node("b", f); g.add_node("c", f)
        g.add_edge(START, "a"); g.add_conditional_edges("a", router)
        return g.compile()
    if kind == "subgraph":
        g.add_node("a", f); g.add_node("sub", build("sub")); g.add_node("z", f)
        g.add_edge(START, "a"); g.add_edge("a", "sub"); g.add_edge("sub", "z")
        return g.compile()
    if kind == "sub":
        g.add_node("s1", f); g.add_node("s2", f); g.add_edge(START, "s1"); g.add_edge("s1", "s2")
        return g.compile()
    if kind == "nested":
        middle = StateGraph(S); middle.add_node("inner", build("sub")); middle.add_edge(START, "inner")
        g.add_node("outer", middle.compile()); g.add_edge(START, "outer")
        return g.compile()
    if kind == "entry":
        g.add_node("a", f); g.set_conditional_entry_point(router, {"x y z": "a", "done": END}); g.add_edge("a", END)
        return g.compile()
    raise AssertionError(kind)


EXPECTED: dict[str, str] = {
    'chain': (
        '---\n'
        'config:\n'
        '  flowchart:\n'
        '    curve: linear\n'
        '---\n'
        'graph TD;\n'
        '\t__start__([<p>__start__</p>]):::first\n'
        '\ta(a)\n'
        '\tb(b)\n'
        '\t__end__([<p>__end__</p>]):::last\n'
        '\t__start__ --> a;\n'
        '\ta --> b;\n'
        '\tb --> __end__;\n'
        '\tclassDef default fill:#f2f0ff,line-height:1.2\n'
        '\tclassDef first fill-opacity:0\n'
        '\tclassDef last fill:#bfb6fc\n'
    ),
    'path_map': (
        '---\n'
        'config:\n'
        '  flowchart:\n'
        '    curve: linear\n'
        '---\n'
        'graph TD;\n'
        '\t__start__([<p>__start__</p>]):::first\n'
        '\ta(a)\n'
        '\tb(b<hr/><small><em>__interrupt = before,after</em></small>)\n'
        '\tc(c<hr/><small><em>__interrupt = after</em></small>)\n'
        '\t__end__([<p>__end__</p>]):::last\n'
        '\t__start__ --> a;\n'
        '\ta -. &nbsp;stop&nbsp; .-> __end__;\n'
        '\ta -. &nbsp;go b&nbsp; .-> b;\n'
        '\ta -. &nbsp;go c&nbsp; .-> c;\n'
        '\tb --> c;\n'
        '\tc --> __end__;\n'
        '\tclassDef default fill:#f2f0ff,line-height:1.2\n'
        '\tclassDef first fill-opacity:0\n'
        '\tclassDef last fill:#bfb6fc\n'
    ),
    'join': (
        '---\n'
        'config:\n'
        '  flowchart:\n'
        '    curve: linear\n'
        '---\n'
        'graph TD;\n'
        '\t__start__([<p>__start__</p>]):::first\n'
        '\ta(a<hr/><small><em>k = v\n'
        'n = 1</em></small>)\n'
        '\tb(b)\n'
        '\tc(c)\n'
        '\td(d)\n'
        '\t__end__([<p>__end__</p>]):::last\n'
        '\t__start__ --> a;\n'
        '\ta --> b;\n'
        '\ta --> c;\n'
        '\tb --> d;\n'
        '\tc --> d;\n'
        '\td --> __end__;\n'
        '\tclassDef default fill:#f2f0ff,line-height:1.2\n'
        '\tclassDef first fill-opacity:0\n'
        '\tclassDef last fill:#bfb6fc\n'
    ),
    'cycle': (
        '---\n'
        'config:\n'
        '  flowchart:\n'
        '    curve: linear\n'
        '---\n'
        'graph TD;\n'
        '\t__start__([<p>__start__</p>]):::first\n'
        '\tagent(agent)\n'
        '\ttools(tools)\n'
        '\t__end__([<p>__end__</p>]):::last\n'
        '\t__start__ --> agent;\n'
        '\tagent -.-> __end__;\n'
        '\tagent -.-> tools;\n'
        '\ttools --> agent;\n'
        '\tclassDef default fill:#f2f0ff,line-height:1.2\n'
        '\tclassDef first fill-opacity:0\n'
        '\tclassDef last fill:#bfb6fc\n'
    ),
    'command': (
        '---\n'
        'config:\n'
        '  flowchart:\n'
        '    curve: linear\n'
        '---\n'
        'graph TD;\n'
        '\t__start__([<p>__start__</p>]):::first\n'
        '\ta(a)\n'
        '\tb(b)\n'
        '\tc(c)\n'
        '\t__end__([<p>__end__</p>]):::last\n'
        '\t__start__ --> a;\n'
        '\ta -.-> b;\n'
        '\ta -.-> c;\n'
        '\tb --> __end__;\n'
        '\tc --> __end__;\n'
        '\tclassDef default fill:#f2f0ff,line-height:1.2\n'
        '\tclassDef first fill-opacity:0\n'
        '\tclassDef last fill:#bfb6fc\n'
    ),
    'no_map': (
        '---\n'
        'config:\n'
        '  flowchart:\n'
        '    curve: linear\n'
        '---\n'
        'graph TD;\n'
        '\t__start__(<p>__start__</p>)\n'
        '\ta(a)\n'
        '\tb(b)\n'
        '\tc(c)\n'
        '\t__end__(<p>__end__</p>)\n'
        '\t__start__ --> a;\n'
        '\ta --> __end__;\n'
        '\tclassDef default fill:#f2f0ff,line-height:1.2\n'
        '\tclassDef first fill-opacity:0\n'
        '\tclassDef last fill:#bfb6fc\n'
    ),
    'subgraph': (
        '---\n'
        'config:\n'
        '  flowchart:\n'
        '    curve: linear\n'
        '---\n'
        'graph TD;\n'
        '\t__start__([<p>__start__</p>]):::first\n'
        '\ta(a)\n'
        '\tsub(sub)\n'
        '\tz(z)\n'
        '\t__end__([<p>__end__</p>]):::last\n'
        '\t__start__ --> a;\n'
        '\ta --> sub;\n'
        '\tsub --> z;\n'
        '\tz --> __end__;\n'
        '\tclassDef default fill:#f2f0ff,line-height:1.2\n'
        '\tclassDef first fill-opacity:0\n'
        '\tclassDef last fill:#bfb6fc\n'
    ),
    'subgraph_xray': (
        '---\n'
        'config:\n'
        '  flowchart:\n'
        '    curve: linear\n'
        '---\n'
        'graph TD;\n'
        '\t__start__([<p>__start__</p>]):::first\n'
        '\ta(a)\n'
        '\tz(z)\n'
        '\t__end__([<p>__end__</p>]):::last\n'
        '\t__start__ --> a;\n'
        '\ta --> sub\\3as1;\n'
        '\tsub\\3as2 --> z;\n'
        '\tz --> __end__;\n'
        '\tsubgraph sub\n'
        '\tsub\\3as1(s1)\n'
        '\tsub\\3as2(s2)\n'
        '\tsub\\3as1 --> sub\\3as2;\n'
        '\tend\n'
        '\tclassDef default fill:#f2f0ff,line-height:1.2\n'
        '\tclassDef first fill-opacity:0\n'
        '\tclassDef last fill:#bfb6fc\n'
    ),
    'nested_xray_1': (
        '---\n'
        'config:\n'
        '  flowchart:\n'
        '    curve: linear\n'
        '---\n'
        'graph TD;\n'
        '\t__start__([<p>__start__</p>]):::first\n'
        '\t__end__([<p>__end__</p>]):::last\n'
        '\t__start__ --> outer\\3ainner;\n'
        '\touter\\3ainner --> __end__;\n'
        '\tsubgraph outer\n'
        '\touter\\3ainner(inner)\n'
        '\tend\n'
        '\tclassDef default fill:#f2f0ff,line-height:1.2\n'
        '\tclassDef first fill-opacity:0\n'
        '\tclassDef last fill:#bfb6fc\n'
    ),
    'nested_xray': (
        '---\n'
        'config:\n'
        '  flowchart:\n'
        '    curve: linear\n'
        '---\n'
        'graph TD;\n'
        '\t__start__([<p>__start__</p>]):::first\n'
        '\t__end__([<p>__end__</p>]):::last\n'
        '\t__start__ --> outer\\3ainner\\3as1;\n'
        '\touter\\3ainner\\3as2 --> __end__;\n'
        '\tclassDef default fill:#f2f0ff,line-height:1.2\n'
        '\tclassDef first fill-opacity:0\n'
        '\tclassDef last fill:#bfb6fc\n'
    ),
    'entry_no_styles': (
        'graph TD;\n'
        '\t__start__ -. &nbsp;done&nbsp; .-> __end__;\n'
        '\t__start__ -. &nbsp;x y z&nbsp; .-> a;\n'
        '\ta --> __end__;\n'
    ),
    'entry_basis_wrapped': (
        '---\n'
        'config:\n'
        '  flowchart:\n'
        '    curve: basis\n'
        '---\n'
        'graph TD;\n'
        '\t__start__([<p>__start__</p>]):::first\n'
        '\ta(a)\n'
        '\t__end__([<p>__end__</p>]):::last\n'
        '\t__start__ -. &nbsp;done&nbsp; .-> __end__;\n'
        '\t__start__ -. &nbsp;x&nbsp<br>&nbspy&nbsp<br>&nbspz&nbsp; .-> a;\n'
        '\ta --> __end__;\n'
        '\tclassDef default fill:#f2f0ff,line-height:1.2\n'
        '\tclassDef first fill-opacity:0\n'
        '\tclassDef last fill:#bfb6fc\n'
    ),
    'entry_frontmatter': (
        '---\n'
        'config:\n'
        '  flowchart:\n'
        '    curve: linear\n'
        '  theme: neutral\n'
        'title: My graph\n'
        '---\n'
        'graph TD;\n'
        '\t__start__([<p>__start__</p>]):::first\n'
        '\ta(a)\n'
        '\t__end__([<p>__end__</p>]):::last\n'
        '\t__start__ -. &nbsp;done&nbsp; .-> __end__;\n'
        '\t__start__ -. &nbsp;x y z&nbsp; .-> a;\n'
        '\ta --> __end__;\n'
        '\tclassDef default fill:#f2f0ff,line-height:1.2\n'
        '\tclassDef first fill-opacity:0\n'
        '\tclassDef last fill:#bfb6fc\n'
    ),
}


DRAWN = {
    "chain": lambda: build("chain").get_graph().draw_mermaid(),
    "path_map": lambda: build("path_map").get_graph().draw_mermaid(),
    "join": lambda: build("join").get_graph().draw_mermaid(),
    "cycle": lambda: build("cycle").get_graph().draw_mermaid(),
    "command": lambda: build("command").get_graph().draw_mermaid(),
    "no_map": lambda: build("no_map").get_graph().draw_mermaid(),
    "subgraph": lambda: build("subgraph").get_graph().draw_mermaid(),
    "subgraph_xray": lambda: build("subgraph").get_graph(xray=True).draw_mermaid(),
    "nested_xray_1": lambda: build("nested").get_graph(xray=1).draw_mermaid(),
    "nested_xray": lambda: build("nested").get_graph(xray=True).draw_mermaid(),
    "entry_no_styles": lambda: build("entry").get_graph().draw_mermaid(with_styles=False),
    "entry_basis_wrapped": lambda: build("entry").get_graph().draw_mermaid(
        curve_style=CurveStyle.BASIS, wrap_label_n_words=1
    ),
    "entry_frontmatter": lambda: build("entry").get_graph().draw_mermaid(
        frontmatter_config={"title": "My graph", "config": {"theme": "neutral"}}
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_mermaid_text_is_langgraphs(name: str) -> None:
    assert DRAWN[name]() == EXPECTED[name]


def edges(graph: Graph) -> list[tuple[str, str, Any, bool]]:
    return [(e.source, e.target, e.data, e.conditional) for e in graph.edges]


def test_edges_carry_conditions_and_path_map_labels() -> None:
    graph = build("path_map").get_graph()
    assert list(graph.nodes) == ["__start__", "a", "b", "c", "__end__"]
    assert edges(graph) == [
        ("__start__", "a", None, False),
        ("a", "__end__", "stop", True),
        ("a", "b", "go b", True),
        ("a", "c", "go c", True),
        ("b", "c", None, False),
        ("c", "__end__", None, False),
    ]
    assert graph.nodes["b"].metadata == {"__interrupt": "before,after"}
    assert graph.nodes["c"].metadata == {"__interrupt": "after"}
    assert graph.nodes["a"].metadata is None and graph.nodes["__end__"].data is None


def test_a_router_without_a_map_draws_no_edges_and_unreached_nodes_stay_alone() -> None:
    graph = build("no_map").get_graph()
    assert edges(graph) == [("__start__", "a", None, False), ("a", "__end__", None, False)]
    assert graph.first_node() is None  # b and c have no incoming edge either


def test_destinations_declare_conditional_edges() -> None:
    g = StateGraph(S)
    g.add_node("a", f, destinations=("b", "c"))
    g.add_node("b", f)
    g.add_node("c", f)
    g.add_edge(START, "a")
    assert edges(g.compile().get_graph()) == [
        ("__start__", "a", None, False),
        ("a", "b", None, True),
        ("a", "c", None, True),
        ("b", "__end__", None, False),
        ("c", "__end__", None, False),
    ]


def test_to_json_is_langchain_cores_form() -> None:
    assert build("path_map").get_graph().to_json() == {
        "nodes": [
            {"id": "__start__", "type": "runnable", "data": {"id": ["graphs", "compile", "_InputRunner"], "name": "__start__"}},
            {"id": "a", "type": "runnable", "data": {"id": [__name__, "f"], "name": "a"}},
            {"id": "b", "type": "runnable", "data": {"id": [__name__, "f"], "name": "b"}, "metadata": {"__interrupt": "before,after"}},
            {"id": "c", "type": "runnable", "data": {"id": [__name__, "f"], "name": "c"}, "metadata": {"__interrupt": "after"}},
            {"id": "__end__"},
        ],
        "edges": [
            {"source": "__start__", "target": "a"},
            {"source": "a", "target": "__end__", "data": "stop", "conditional": True},
            {"source": "a", "target": "b", "data": "go b", "conditional": True},
            {"source": "a", "target": "c", "data": "go c", "conditional": True},
            {"source": "b", "target": "c"},
            {"source": "c", "target": "__end__"},
        ],
    }


def test_subgraph_nodes_are_runnables_in_json_and_prefixed_under_xray() -> None:
    plain = build("subgraph").get_graph().to_json()
    sub = next(n for n in plain["nodes"] if n["id"] == "sub")
    assert sub["data"] == {"id": ["graphs", "compiled", "CompiledStateGraph"], "name": "sub"}
    xray = build("subgraph").get_graph(xray=True)
    assert list(xray.nodes) == ["__start__", "a", "z", "__end__", "sub:s1", "sub:s2"]
    assert ("a", "sub:s1", None, False) in edges(xray) and ("sub:s2", "z", None, False) in edges(xray)


async def test_aget_graph_is_get_graph() -> None:
    app = build("join")
    assert (await app.aget_graph()).draw_mermaid() == app.get_graph().draw_mermaid()


def test_a_tool_node_lists_its_tools_in_metadata() -> None:
    @tool
    def search(query: str) -> str:
        """Search."""
        return query

    g = StateGraph(S)
    g.add_node("tools", ToolNode([search]))
    g.add_edge(START, "tools")
    assert g.compile().get_graph().nodes["tools"].metadata == {"__tools": ["search"]}


def test_graph_building_blocks() -> None:
    graph = Graph()
    first = graph.add_node(None, "first")
    made_up = graph.add_node(build("sub"))
    last = graph.add_node(None, "last")
    graph.add_edge(first, made_up)
    graph.add_edge(made_up, last, "done", conditional=True)
    with pytest.raises(ValueError, match="Node with id first already exists"):
        graph.add_node(None, "first")
    with pytest.raises(ValueError, match="Target node nowhere not in graph"):
        graph.add_edge(first, Node("nowhere", "nowhere", None, None))
    assert made_up.name == "LangGraph"  # a made-up id shows its data's name
    assert graph.first_node() == first and graph.last_node() == last
    assert graph.to_json()["edges"] == [
        {"source": "first", "target": 1},
        {"source": 1, "target": "last", "data": "done", "conditional": True},
    ]
    assert list(graph.reid().nodes) == ["first", "LangGraph", "last"]
    graph.trim_first_node()
    graph.trim_last_node()
    assert list(graph.nodes) == [made_up.id] and graph.edges == []
    assert bool(graph) and not Graph()
    assert Edge("a", "b").copy(target="c") == Edge("a", "c", None, False)


def test_reused_subgraph_names_and_unsupported_renderers_raise() -> None:
    graph = Graph()
    for id_ in ("x:a", "x:b", "y:a", "y:b", "y:x:a", "y:x:b"):
        graph.add_node(None, id_)
    for prefix in ("x", "y", "y:x"):
        graph.add_edge(graph.nodes[f"{prefix}:a"], graph.nodes[f"{prefix}:b"])
    with pytest.raises(ValueError, match="Found duplicate subgraph 'x'"):
        graph.draw_mermaid()
    with pytest.raises(NotImplementedError, match="draw_mermaid_png"):
        graph.draw_mermaid_png()
    with pytest.raises(NotImplementedError, match="draw_ascii"):
        graph.draw_ascii()


def test_destinations_given_as_a_mapping_label_their_edges() -> None:
    # add_node(destinations={"b": "to b", ...}) labels the edges in LangGraph; the
    # drawing reads a mapping when the declared node keeps one.
    import attrs

    from graphs.drawing import draw_graph

    g = StateGraph(S)
    g.add_node("a", f)
    g.add_node("b", f)
    g.add_node("c", f)
    g.add_edge(START, "a")
    spec = g.spec()
    labelled = attrs.evolve(spec.nodes["a"], destinations={"b": "to b", "c": "to c"})
    spec = attrs.evolve(spec, nodes={**spec.nodes, "a": labelled})
    assert edges(draw_graph(spec, start_data=None)) == [
        ("__start__", "a", None, False),
        ("a", "b", "to b", True),
        ("a", "c", "to c", True),
        ("b", "__end__", None, False),
        ("c", "__end__", None, False),
    ]
