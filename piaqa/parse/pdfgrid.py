"""Table cells of a PDF page from its ruling: pdfium's path objects become edges, pdfplumber's table finder
turns the edges into cells (its edge merging, intersections and cell search; pdfminer's slow page layout
is not needed)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# a path thinner than this (points) is a ruling line; Chromium draws a 0.8 pt border as a 0.75 pt filled rect,
# other producers stroke hairlines of 0.1-1.5 pt
RULE_MAX_PT = 2.0
# a filled or stroked box smaller than this on both sides is a glyph-like drawing (a checkbox square, a
# bullet), not a cell: 9-12 pt text puts such boxes at 6-10 pt
MIN_BOX_PT = 12.0
# pdfplumber's defaults (3 pt) for snapping near-parallel rules together and joining collinear pieces
SNAP_PT = 3.0
JOIN_PT = 3.0
INTERSECT_PT = 1.0  # pdfplumber's default: how far a rule may miss a crossing rule and still meet it


@dataclass(frozen=True)
class Box:
    """A rectangle on a page in points, origin top-left (as pdfplumber counts)."""

    x0: float
    top: float
    x1: float
    bottom: float

    def holds(self, x: float, y: float) -> bool:
        """True when the point lies inside the box."""
        return self.x0 <= x <= self.x1 and self.top <= y <= self.bottom

    def union(self, other: "Box") -> "Box":
        """The smallest box holding both."""
        return Box(min(self.x0, other.x0), min(self.top, other.top), max(self.x1, other.x1),
                   max(self.bottom, other.bottom))


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict[str, Any]:
    """An edge in the dict shape pdfplumber's table functions take."""
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "width": x1 - x0,
            "height": bottom - top, "orientation": orientation, "object_type": "rect"}


def edges_of(box: Box) -> list[dict[str, Any]]:
    """A path's bounding box as ruling: a thin box is one rule, a large box its four sides, a small box none."""
    w, h = box.x1 - box.x0, box.bottom - box.top
    if h <= RULE_MAX_PT < w:
        y = (box.top + box.bottom) / 2
        return [_edge(box.x0, y, box.x1, y, "h")]
    if w <= RULE_MAX_PT < h:
        x = (box.x0 + box.x1) / 2
        return [_edge(x, box.top, x, box.bottom, "v")]
    if w < MIN_BOX_PT and h < MIN_BOX_PT:
        return []
    return [_edge(box.x0, box.top, box.x1, box.top, "h"), _edge(box.x0, box.bottom, box.x1, box.bottom, "h"),
            _edge(box.x0, box.top, box.x0, box.bottom, "v"), _edge(box.x1, box.top, box.x1, box.bottom, "v")]


@dataclass(frozen=True)
class Grid:
    """A page's table cells, and whether its ruling is open at the top or bottom (a row a page break cut)."""

    cells: tuple[Box, ...] = ()
    open_top: bool = False
    open_bottom: bool = False


def _ruled_at(edges: list[dict[str, Any]], y: float) -> bool:
    """True when a horizontal rule lies at height y."""
    return any(e["orientation"] == "h" and abs(e["top"] - y) <= SNAP_PT for e in edges)


def grid(paths: list[Box]) -> Grid:
    """The table cells the page's paths rule (pdfplumber's cell search). A row that runs off the page has no
    bottom rule on it, and its rest no top rule on the next page, so the vertical rules' ends close them."""
    from pdfplumber.table import edges_to_intersections, intersections_to_cells, merge_edges

    edges = [e for p in paths for e in edges_of(p)]
    vertical = [e for e in edges if e["orientation"] == "v"]
    if not vertical:
        return Grid()
    x0, x1 = min(e["x0"] for e in vertical), max(e["x0"] for e in vertical)
    top, bottom = min(e["top"] for e in vertical), max(e["bottom"] for e in vertical)
    open_top, open_bottom = not _ruled_at(edges, top), not _ruled_at(edges, bottom)
    edges += [_edge(x0, top, x1, top, "h"), _edge(x0, bottom, x1, bottom, "h")]
    merged = merge_edges(edges, SNAP_PT, SNAP_PT, JOIN_PT, JOIN_PT)
    found = intersections_to_cells(edges_to_intersections(merged, INTERSECT_PT, INTERSECT_PT))
    return Grid(tuple(Box(*c) for c in found), open_top, open_bottom)
