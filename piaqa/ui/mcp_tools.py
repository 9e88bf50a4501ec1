"""The four agent tools: ask, search, get_section, list_documents. Gradio serves them as its MCP tools and as
the documented HTTP API; each is a thin shell over Assistant that checks its input and answers JSON text with
line-exact citations. A bad input is a short error message (gr.Error), never a traceback."""
# no `from __future__ import annotations`: gradio reads these signatures' types at run time for the tool schemas
import functools
import json
import logging
from collections.abc import Callable
from typing import Any

import gradio as gr

from piaqa.catalog import CatalogError, document_infos, find_document, resolve_cities, section_window
from piaqa.qa import Assistant
from piaqa.records import Answer, Citation
from piaqa.safeask import INTERNAL_ERROR, safe_ask

log = logging.getLogger(__name__)
# the Researcher tab's ceiling too: past 30 passages an agent reads noise and the reply grows past what one
# tool result should carry (~30 sections of up to a few KB each)
MAX_K = 30


class ToolInputError(ValueError):
    """An argument a tool cannot use; the message says what it takes."""


def citation_json(c: Citation) -> dict[str, Any]:
    """A citation as agents receive it: the document, where in it, the exact lines and their text."""
    return {**c.to_json(), "jimu": c.jimu}


def answer_json(ans: Answer) -> dict[str, Any]:
    """An answer as agents receive it (the answers-file form, citations with their 事務)."""
    return {**ans.to_json(), "citations": [citation_json(c) for c in ans.citations]}


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)


def _whole(name: str, value: Any, low: int, high: int) -> int:
    """A whole number argument within low..high, or an error naming the range."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ToolInputError(f"{name} must be a whole number from {low} to {high} (got {value!r})")
    return value


def _tool(fn: Callable[..., str]) -> Callable[..., str]:
    """A tool whose bad input becomes its message and whose unexpected failure is logged and reported in one
    line (the name, docstring and signature stay the tool's: gradio builds the MCP schema from them)."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> str:
        try:
            return fn(*args, **kwargs)
        except (CatalogError, ToolInputError) as e:
            raise gr.Error(str(e), print_exception=False) from None
        except gr.Error:
            raise
        except Exception as e:  # noqa: BLE001 - an agent gets one line; the traceback goes to the server log
            log.exception("internal error in tool %s", fn.__name__)
            raise gr.Error(INTERNAL_ERROR, print_exception=False) from e
    return wrapper


class AgentTools:
    """The tools over one Assistant."""

    def __init__(self, assistant: Assistant) -> None:
        self.a = assistant

    def _scope(self, cities: Any) -> list[str] | None:
        """Documents of the named cities (None: all)."""
        if cities is None or cities == "" or cities == []:
            return None
        names = [cities] if isinstance(cities, str) else cities
        if not isinstance(names, list):
            raise ToolInputError(f"cities must be a list of city names (got {cities!r})")
        wanted = resolve_cities(names, self.a.understander.cities_in, (d.meta.city for d in self.a.docs.values()))
        return [name for name, d in self.a.docs.items() if d.meta.city in wanted]

    @_tool
    def ask(self, question: str, cities: list[str] | None = None) -> str:
        """Answer a question about the Japanese My Number privacy impact assessments (特定個人情報保護評価書)
        in the corpus, in Japanese or English, with line-exact citations; abstains (answerable false) when the
        documents do not say.

        Args:
            question: the question, e.g. 倉敷市の国民年金事務の委託先は？ or Which cities re-delegate system maintenance?
            cities: optional; only these cities' assessments, e.g. ["倉敷市"] (倉敷 or Kurashiki work too)
        Returns:
            JSON text {question, answer, answerable, cities, citations, rows}
            citations: [{doc, city, jimu, section, line_start, line_end, text}], the lines the answer stands on
            rows (across-cities answers only): [{city, jimu, value, satisfied, citation (index into citations)}]
        """
        if not isinstance(question, str) or not question.strip():
            raise ToolInputError("question must be a non-empty text, e.g. 倉敷市の国民年金事務の委託先は？")
        scope = self._scope(cities)
        ans = safe_ask(lambda q: self.a.ask(q, docs=scope), question)
        if ans.kind == "error":  # logged by safe_ask
            raise gr.Error(INTERNAL_ERROR, print_exception=False)
        return _dumps(answer_json(ans))

    @_tool
    def search(self, query: str, k: int | None = None, cities: list[str] | None = None) -> str:
        """Find the passages of the assessments that best match a query (hybrid BM25 + embedding search),
        without composing an answer.

        Args:
            query: what to look for, e.g. 再委託 システム保守 or data retention period
            k: optional; how many passages, 1 to 30 (default 5)
            cities: optional; only these cities' assessments, e.g. ["高知市"]
        Returns:
            JSON text {query, results: [{rank, score, doc, city, jimu, section, line_start, line_end, text}]}
        """
        if not isinstance(query, str) or not query.strip():
            raise ToolInputError("query must be a non-empty text, e.g. 再委託 システム保守")
        k = self.a.settings.top_k if k is None else _whole("k", k, 1, MAX_K)
        hits = self.a.search(query, k=k, docs=self._scope(cities))
        results = [{"rank": i, "score": round(h.score, 6),
                    **citation_json(self.a.citation(h.chunk.doc, h.chunk.line_start, h.chunk.line_end,
                                                    " > ".join(h.chunk.path)))} for i, h in enumerate(hits, 1)]
        return _dumps({"query": query, "results": results})

    @_tool
    def get_section(self, doc: str, line: int) -> str:
        """Read the whole section of an assessment that holds a line (e.g. a citation in its context); a
        section over 400 lines comes as the 60 lines either side of the asked line.

        Args:
            doc: the document's file name, as citations and list_documents give it, e.g. 000_2b92446a3e503446.txt
            line: a line number of that document (1-based), e.g. a citation's line_start
        Returns:
            JSON text {line, citation: {doc, city, jimu, section, line_start, line_end, text}}
            text holds the section's original lines line_start..line_end
        """
        if not isinstance(doc, str):
            raise ToolInputError(f"doc must be a corpus file name (got {doc!r}); list_documents lists them")
        document = find_document(self.a.docs, doc)
        line = _whole("line", line, 1, len(document.lines))
        return _dumps({"line": line, "citation": citation_json(section_window(document, line))})

    @_tool
    def list_documents(self) -> str:
        """List the assessments piaqa answers from: file name, city, 事務 (business process), 評価書種別,
        number, publication date and line count.

        Returns:
            JSON text {documents: [{doc, city, jimu, kind, number, published, lines}]}
        """
        return _dumps({"documents": [i.to_json() for i in document_infos(self.a.docs.values())]})


def register_tools(assistant: Assistant) -> AgentTools:
    """Add the four tools to the Blocks being built: public HTTP endpoints named like the tools, which gradio's
    MCP server (launch(mcp_server=True)) lists as its tools. Every other event of the page is undocumented or
    private, so it is neither in the API docs nor an MCP tool."""
    tools = AgentTools(assistant)
    for fn in (tools.ask, tools.search, tools.get_section, tools.list_documents):
        gr.api(fn, api_name=fn.__name__, api_visibility="public")
    return tools
