"""The model picture: forums in their level's row and their mode's column, groups under their
forum, activated forums lit, exercises marked, every text escaped, valid SVG."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from bot.web.model_svg import (
    CHAR_W,
    LEVELS,
    ForumBox,
    GroupBox,
    ModelLabels,
    render_model,
    wrap,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"

LABELS = ModelLabels(
    title="Samverkansmodellen",
    description="Tre nivåer i ordinarie och aktiverat läge.",
    levels={"inriktande": "Regionalt inriktande", "samordnande": "Regionalt samordnande"},
    modes={"ordinarie": "Ordinarie läge", "aktiverat": "Aktiverat läge"},
    exercise="ÖVNING",
    empty="inget forum",
)

SEED_FORUMS = [
    ForumBox("chefsgrupp", "Regional chefsgrupp", "inriktande", "ordinarie"),
    ForumBox("inriktande", "Regionalt inriktande forum", "inriktande", "aktiverat"),
    ForumBox(
        "samordningsgrupp",
        "Regional samordningsgrupp",
        "samordnande",
        "ordinarie",
        groups=(
            GroupBox("Utbildning och övning"),
            GroupBox("Omvärldsbevakning och gemensam planering"),
            GroupBox("Kommunikation", title="Kommunikation: gemensamma budskap"),
        ),
    ),
    ForumBox("konferens", "Regional samverkanskonferens", "samordnande", "ordinarie"),
    ForumBox(
        "samordnande",
        "Regionalt samordnande forum",
        "samordnande",
        "aktiverat",
        lit=True,
        exercise=True,
        status="AKTIVERAT",
        href="/activations/3",
        groups=(GroupBox("Analys", lit=True),),
    ),
    ForumBox("lc", "Verkställande forum – Ledningscentraler", "verkställande", "ordinarie"),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def forum_group(root: ET.Element, forum_id: str) -> ET.Element:
    found = root.findall(f".//svg:g[@data-forum='{forum_id}']", NS)
    assert len(found) == 1, f"{forum_id} drawn {len(found)} times"
    return found[0]


def text_of(element: ET.Element) -> str:
    """The words drawn, lines joined by one space (as a screen reader reads them)."""
    return " ".join(" ".join("".join(t.itertext()).split()) for t in element.iter(f"{SVG}text"))


def box(element: ET.Element) -> tuple[float, float, float, float]:
    rect = element.find("svg:rect", NS)
    assert rect is not None
    x, y = float(rect.get("x", "0")), float(rect.get("y", "0"))
    return x, y, x + float(rect.get("width", "0")), y + float(rect.get("height", "0"))


def test_the_picture_is_svg_with_a_title_and_description_for_screen_readers() -> None:
    root = parse(render_model(SEED_FORUMS, LABELS))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.findtext("svg:title", namespaces=NS) == "Samverkansmodellen"
    assert root.findtext("svg:desc", namespaces=NS) == LABELS.description
    heads = [
        text_of(g)
        for g in root.findall(".//svg:g[@class]", NS)
        if "mode-head" in g.get("class", "")
    ]
    assert heads == ["Ordinarie läge", "Aktiverat läge"]


def test_each_forum_sits_in_its_levels_row_and_its_modes_column() -> None:
    root = parse(render_model(SEED_FORUMS, LABELS))
    bands = {}
    for level in LEVELS:
        band = root.find(f".//svg:g[@data-level='{level}']", NS)
        assert band is not None
        bands[level] = box(band)
    # rows top to bottom in the model's order, not overlapping
    tops = [bands[level][1] for level in LEVELS]
    assert tops == sorted(tops)
    for upper, lower in itertools.pairwise(LEVELS):
        assert bands[upper][3] <= bands[lower][1]
    ordinarie_x = box(forum_group(root, "chefsgrupp"))[0]
    aktiverat_x = box(forum_group(root, "inriktande"))[0]
    assert ordinarie_x < aktiverat_x
    for forum in SEED_FORUMS:
        x0, y0, _x1, y1 = box(forum_group(root, forum.id))
        band = bands[forum.level]
        assert band[1] <= y0 < y1 <= band[3], f"{forum.id} outside its level's row"
        assert x0 == (ordinarie_x if forum.mode == "ordinarie" else aktiverat_x)
        assert forum.name.split()[0] in text_of(forum_group(root, forum.id))


def test_forums_in_one_cell_do_not_overlap_and_groups_stay_inside_their_forum() -> None:
    root = parse(render_model(SEED_FORUMS, LABELS))
    group_box = box(forum_group(root, "samordningsgrupp"))
    konferens = box(forum_group(root, "konferens"))
    assert group_box[3] <= konferens[1]
    groups = forum_group(root, "samordningsgrupp").findall("svg:g", NS)
    assert [g.findtext("svg:title", namespaces=NS) for g in groups] == [
        "Utbildning och övning",
        "Omvärldsbevakning och gemensam planering",
        "Kommunikation: gemensamma budskap",
    ]
    for group in groups:
        gx0, gy0, gx1, gy1 = box(group)
        assert group_box[0] < gx0 < gx1 < group_box[2]
        assert group_box[1] < gy0 < gy1 < group_box[3]


def test_an_activated_exercise_is_lit_dashed_and_says_so() -> None:
    root = parse(render_model(SEED_FORUMS, LABELS))
    lit = forum_group(root, "samordnande")
    assert lit.get("data-lit") == "true"
    assert lit.get("data-exercise") == "true"
    assert "lit" in lit.get("class", "").split()
    rect = lit.find("svg:rect", NS)
    assert rect is not None
    assert rect.get("stroke-dasharray")  # dashed: an exercise, readable in grey
    assert float(rect.get("stroke-width", "0")) >= 4  # lit: a thick border, not only a fill
    assert "AKTIVERAT · ÖVNING" in text_of(lit)
    assert "ÖVNING" in (lit.findtext("svg:title", namespaces=NS) or "")
    analys = lit.find("svg:g", NS)
    assert analys is not None and "lit" in analys.get("class", "")
    # the forum links to its activation
    links = [a for a in root.iter(f"{SVG}a") if a.find("svg:g", NS) is lit]
    assert [a.get("href") for a in links] == ["/activations/3"]

    quiet = forum_group(root, "inriktande")
    assert quiet.get("data-lit") == "false"
    quiet_rect = quiet.find("svg:rect", NS)
    assert quiet_rect is not None and quiet_rect.get("stroke-dasharray") is None
    assert "ÖVNING" not in text_of(quiet)


def test_an_empty_cell_says_there_is_no_forum() -> None:
    root = parse(render_model(SEED_FORUMS, LABELS))
    band = root.find(".//svg:g[@data-level='verkställande']", NS)
    assert band is not None
    assert "inget forum" in text_of(band)


def test_text_from_the_config_is_escaped() -> None:
    evil = ForumBox(
        'x"><script>alert(1)</script>',
        "<script>alert(1)</script> & <b>co</b>",
        "inriktande",
        "ordinarie",
        status='"><img src=x onerror=alert(1)>',
        href='/meetings/1" onclick="alert(1)',
        groups=(GroupBox("<i>grupp</i>", title="</title><script>x</script>"),),
    )
    svg = render_model([evil], LABELS)
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg
    root = parse(svg)
    assert not list(root.iter(f"{SVG}script"))
    drawn = root.find(".//svg:g[@data-forum]", NS)
    assert drawn is not None
    assert drawn.get("data-forum") == 'x"><script>alert(1)</script>'
    assert "<script>alert(1)</script> & <b>co</b>" in text_of(drawn)
    link = root.find(".//svg:a", NS)
    assert link is not None and link.get("href") == '/meetings/1" onclick="alert(1)'
    assert link.get("onclick") is None
    group = drawn.find("svg:g", NS)
    assert group is not None
    assert group.findtext("svg:title", namespaces=NS) == "</title><script>x</script>"


def test_wrap_keeps_short_names_whole_and_shortens_what_does_not_fit() -> None:
    assert wrap("Regional chefsgrupp", 17, 400) == ["Regional chefsgrupp"]
    lines = wrap("Verkställande forum – Ledningscentraler", 17, 200)
    assert len(lines) > 1 and " ".join(lines) == "Verkställande forum – Ledningscentraler"
    many = wrap("ett två tre fyra fem sex sju åtta nio tio", 10, 40, max_lines=2)
    assert len(many) == 2 and many[-1].endswith("…")


@given(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=120),
    st.integers(8, 24),
    st.integers(20, 600),
    st.integers(1, 4),
)
def test_wrapped_lines_never_exceed_the_width(text: str, size: int, width: int, most: int) -> None:
    limit = max(4, int(width / (size * CHAR_W)))
    lines = wrap(text, size, width, max_lines=most)
    assert lines and len(lines) <= most
    assert all(len(line) <= limit for line in lines)
