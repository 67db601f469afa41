"""The dashboard's HTML: plain server-rendered pages that work without JavaScript, with a skip
link, labelled forms, real tables and one stylesheet from this server. Everything from the
store is escaped."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from html import escape
from urllib.parse import urlencode

from bot.dashboard.charts import svg
from bot.dashboard.figures import FEWER, Filters, Page, Table

NAV = (
    ("overview", "Overview"),
    ("themes", "Themes"),
    ("actions", "Team-meeting actions"),
    ("quiz", "Quiz results"),
    ("schedules", "Schedules"),
)
ASK_AGAIN = (
    "To get a new link, send <code>/learn dashboard</code> to scrbot in Slack, or <code>dashboard</code> "
    "to scrbot in a 1:1 Teams chat. Links are only for scrbot's admins."
)
PRIVACY_NOTE = (
    f"Counts only. People appear in no table, only as numbers, and any figure about fewer than 5 people "
    f"shows &ldquo;{FEWER}&rdquo; so that no one in a small team can be singled out."
)


def page_path(slug: str) -> str:
    return "/dashboard" if slug == "overview" else f"/dashboard/{slug}"


def _document(title: str, body: str, *, header: str = "", footer: bool = False) -> str:
    return (
        "<!doctype html>\n"
        '<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="same-origin"><link rel="icon" href="data:,">'
        f"<title>{escape(title)}</title>"
        '<link rel="stylesheet" href="/dashboard/style.css"></head>\n'
        '<body><a class="skip" href="#main">Skip to main content</a>\n'
        f"{header}"
        f'<main id="main" tabindex="-1">\n{body}\n</main>\n'
        + (f"<footer><p>{PRIVACY_NOTE}</p></footer>\n" if footer else "")
        + "</body></html>\n"
    )


def plain_page(title: str, paragraphs: Sequence[str], *, form: str = "") -> str:
    """A page with a heading and a few sentences (paragraphs are trusted HTML) and nothing else."""
    body = f"<h1>{escape(title)}</h1>\n" + "\n".join(f"<p>{p}</p>" for p in paragraphs) + form
    return _document(f"{title} - scrbot dashboard", body)


def sign_in_page(token: str) -> str:
    form = (
        '<form method="post" action="/dashboard/sign-in">'
        f'<input type="hidden" name="token" value="{escape(token)}">'
        '<button type="submit">Open the dashboard</button></form>'
    )
    return plain_page(
        "Sign in to the scrbot dashboard",
        [
            "This link is yours alone and works once. Press the button to sign in; you stay "
            "signed in on this browser for 8 hours, or until you sign out.",
        ],
        form=form,
    )


def link_refused_page() -> str:
    return plain_page(
        "This sign-in link cannot be used",
        [
            "It has already been used, has expired, or is not complete. "
            "A link works once, within 10 minutes of being sent.",
            ASK_AGAIN,
        ],
    )


def signed_out_page() -> str:
    return plain_page("You have signed out", ["The dashboard is closed on this browser.", ASK_AGAIN])


def not_signed_in_page() -> str:
    return plain_page("Please sign in", ["The scrbot dashboard needs a sign-in link.", ASK_AGAIN])


def forbidden_page() -> str:
    return plain_page(
        "That form could not be accepted",
        [
            "It was missing its security token, or came from another site. "
            '<a href="/dashboard">Go back to the dashboard</a> and try again.'
        ],
    )


def dashboard_page(
    page: Page,
    filters: Filters,
    channels: Sequence[tuple[str, str]],
    *,
    csrf: str,
    scope_label: str,
    error: str | None = None,
) -> str:
    """One dashboard page: navigation, filters, summary figures, charts and tables."""
    header = _header(page.slug, csrf, scope_label)
    parts = [f"<h1>{escape(page.title)}</h1>", f'<p class="intro">{escape(page.intro)}</p>']
    parts.append(_filter_form(page.slug, filters, channels, error))
    if page.summary:
        items = "".join(
            f'<div class="figure"><dt>{escape(label)}</dt><dd>{escape(value)}</dd></div>'
            for label, value in page.summary
        )
        parts.append(f'<h2 class="visually-hidden">Summary</h2><dl class="summary">{items}</dl>')
    for chart in page.charts:
        drawing = svg(chart)
        if drawing:
            parts.append(
                # Focusable: on a phone the chart scrolls sideways, and a keyboard must reach it.
                f'<figure class="chart-box" tabindex="0"><figcaption>{escape(chart.title)}</figcaption>'
                f"{drawing}</figure>"
            )
    for table in page.tables:
        if table.id == "actions-text" and page.texts:
            parts.append(_texts(page, filters, table))
            continue
        parts.append(_table(page.slug, table, filters))
    return _document(f"{page.title} - scrbot dashboard", "\n".join(parts), header=header, footer=True)


def _header(current: str, csrf: str, scope_label: str) -> str:
    current_mark = ' aria-current="page"'
    links = "".join(
        f'<li><a href="{page_path(slug)}"{current_mark if slug == current else ""}>{escape(name)}</a></li>'
        for slug, name in NAV
    )
    return (
        '<header class="top"><div class="brand"><p class="name">scrbot dashboard</p>'
        f'<p class="scope">{escape(scope_label)}</p></div>'
        '<form method="post" action="/dashboard/sign-out" class="sign-out">'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
        '<button type="submit">Sign out</button></form></header>\n'
        f'<nav aria-label="Dashboard pages"><ul>{links}</ul></nav>\n'
    )


def _filter_form(slug: str, filters: Filters, channels: Sequence[tuple[str, str]], error: str | None) -> str:
    chosen = "/".join(filters.channel) if filters.channel else ""
    options = ['<option value="">All channels</option>'] + [
        f'<option value="{escape(key)}"{" selected" if key == chosen else ""}>{escape(label)}</option>'
        for key, label in channels
    ]
    alert = f'<p class="error" role="alert" id="filter-error">{escape(error)}</p>' if error else ""
    described = ' aria-describedby="filter-error"' if error else ""
    return (
        f'<form method="get" action="{page_path(slug)}" class="filters"{described}>'
        "<fieldset><legend>Filter</legend>"
        f"{alert}"
        '<div class="field"><label for="from">From</label>'
        f'<input type="date" id="from" name="from" value="{filters.start.isoformat()}"></div>'
        '<div class="field"><label for="to">To</label>'
        f'<input type="date" id="to" name="to" value="{filters.end.isoformat()}"></div>'
        '<div class="field wide"><label for="channel">Channel</label>'
        f'<select id="channel" name="channel">{"".join(options)}</select></div>'
        '<div class="field"><button type="submit">Show</button></div>'
        "</fieldset></form>"
    )


def csv_href(slug: str, table_id: str, filters: Filters) -> str:
    return f"/dashboard/{slug}.csv?" + urlencode({"table": table_id, **filters.query()})


def _table(slug: str, table: Table, filters: Filters) -> str:
    heading_id = f"t-{table.id}"
    out = [f'<section class="table-section" aria-labelledby="{heading_id}">']
    out.append(f'<h2 id="{heading_id}">{escape(table.caption)}</h2>')
    if table.note:
        out.append(f'<p class="note">{escape(table.note)}</p>')
    out.append(
        f'<p class="download"><a href="{escape(csv_href(slug, table.id, filters))}" download>'
        f"Download {escape(table.caption)} (CSV)</a></p>"
    )
    if not table.rows:
        out.append(f'<p class="empty">{escape(table.empty)}</p></section>')
        return "\n".join(out)
    # A scrolling region a keyboard can reach, named after the table, for narrow screens.
    out.append(f'<div class="table-wrap" role="region" aria-labelledby="{heading_id}" tabindex="0">')
    out.append(f'<table aria-labelledby="{heading_id}"><thead><tr>')
    out.append("".join(f'<th scope="col"{_align(i, table)}>{escape(h)}</th>' for i, h in enumerate(table.headers)))
    out.append("</tr></thead><tbody>")
    for row in table.rows:
        cells = [f'<th scope="row">{_cell(row[0])}</th>']
        cells += [f"<td{_align(i, table)}>{_cell(value)}</td>" for i, value in enumerate(row[1:], start=1)]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div></section>")
    return "\n".join(out)


def _align(index: int, table: Table) -> str:
    return ' class="n"' if index in table.numeric else ""


def _cell(value: str) -> str:
    if "\n" in value:  # several items (a schedule's next four prompts): a list reads better
        items = "".join(f"<li>{escape(line)}</li>" for line in value.split("\n"))
        return f'<ul class="in-cell">{items}</ul>'
    return f'<span class="few">{escape(value)}</span>' if value == FEWER else escape(value)


def _texts(page: Page, filters: Filters, table: Table) -> str:
    out = ['<section class="texts" aria-labelledby="t-texts">', f'<h2 id="t-texts">{escape(page.texts_heading)}</h2>']
    out.append(f'<p class="note">{escape(page.texts_intro)}</p>')
    out.append(
        f'<p class="download"><a href="{escape(csv_href(page.slug, table.id, filters))}" download>'
        f"Download {escape(table.caption)} (CSV)</a></p>"
    )
    for group in page.texts:
        out.append(f'<h3>{escape(group.heading)}</h3><ul class="agreed">')
        out += [f"<li>{escape(text).replace(chr(10), '<br>')}</li>" for text in group.texts]
        out.append("</ul>")
    out.append("</section>")
    return "\n".join(out)


def as_csv(table: Table) -> str:
    """The table exactly as shown, one row per line; spreadsheet formulas defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_defused(value) for value in row])
    return buffer.getvalue()


def _defused(value: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ (or a tab or return) as a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


STYLE = """
:root{--ink:#1a1a1a;--muted:#4d4d4d;--line:#c4c4c4;--brand:#1d4f91;--bg:#fff;--soft:#f3f5f8;--focus:#b34700}
*{box-sizing:border-box}
html{font-size:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
background:var(--bg);line-height:1.5}
a{color:var(--brand)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,
.table-wrap:focus-visible,main:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--ink);color:#fff;padding:.5rem 1rem;z-index:2}
.skip:focus{left:0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
header.top{display:flex;justify-content:space-between;align-items:center;gap:1rem;flex-wrap:wrap;
padding:.75rem 1.25rem;background:var(--brand);color:#fff}
header.top p{margin:0}
header.top .name{font-weight:700;font-size:1.15rem}
header.top .scope{font-size:.9rem}
header.top button{background:#fff;color:var(--brand);border:2px solid #fff}
header.top button:focus-visible{outline-color:#fff}
nav{border-bottom:1px solid var(--line);background:var(--soft)}
nav ul{list-style:none;margin:0;padding:0 1.25rem;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
nav a{display:inline-block;padding:.6rem 0;min-height:44px;text-decoration:none;font-weight:600}
nav a:hover{text-decoration:underline}
nav a[aria-current=page]{color:var(--ink);border-bottom:4px solid var(--brand)}
main{max-width:72rem;margin:0 auto;padding:1rem 1.25rem 2rem}
h1{font-size:1.75rem;margin:.5rem 0}
h2{font-size:1.3rem;margin:2rem 0 .5rem}
h3{font-size:1.1rem;margin:1.25rem 0 .5rem}
.intro,.note{color:var(--muted);max-width:48rem}
button{font:inherit;font-weight:600;padding:.5rem 1rem;min-height:44px;border-radius:4px;cursor:pointer;
background:var(--brand);color:#fff;border:2px solid var(--brand)}
form.filters fieldset{min-width:0;border:1px solid var(--line);border-radius:6px;display:flex;flex-wrap:wrap;
gap:.75rem 1rem;
align-items:flex-end;padding:.75rem 1rem 1rem}
form.filters legend{font-weight:700;padding:0 .25rem}
.field{display:flex;flex-direction:column;gap:.25rem;min-width:0;max-width:100%}
.field.wide{flex:1 1 16rem}
.field.wide select{width:100%}
label{font-weight:600}
input,select{font:inherit;padding:.45rem .5rem;min-height:44px;border:2px solid #767676;border-radius:4px;
background:#fff;color:var(--ink);max-width:100%}
.error{flex-basis:100%;margin:0;color:#a00000;font-weight:700}
dl.summary{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.75rem;margin:1.25rem 0}
dl.summary .figure{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.75rem}
dl.summary dt{font-size:.9rem;color:var(--muted)}
dl.summary dd{margin:0;font-size:1.5rem;font-weight:700}
figure.chart-box{margin:1.5rem 0;padding:0;overflow-x:auto}
figure.chart-box figcaption{font-weight:700;font-size:1.1rem;margin-bottom:.5rem}
svg.chart{width:100%;height:auto;max-width:60rem;min-width:34rem;display:block}
.table-wrap{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;min-width:100%}
th,td{border:1px solid var(--line);padding:.4rem .6rem;text-align:left;vertical-align:top}
thead th{background:var(--soft)}
tbody th{font-weight:600;min-width:10rem;max-width:20rem;overflow-wrap:anywhere}
ul.in-cell{margin:0;padding-left:1.1rem;min-width:17rem}
.n{text-align:right;font-variant-numeric:tabular-nums}
.few{font-style:italic}
.download a{font-weight:600}
.empty{font-style:italic}
ul.agreed li{margin-bottom:.75rem;max-width:48rem}
footer{border-top:1px solid var(--line);padding:1rem 1.25rem;color:var(--muted);font-size:.9rem}
footer p{max-width:72rem;margin:0 auto}
@media (max-width:40rem){h1{font-size:1.45rem}dl.summary dd{font-size:1.25rem}th,td{padding:.35rem .4rem}}
""".strip()
