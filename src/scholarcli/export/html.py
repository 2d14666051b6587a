"""A self-contained, accessible HTML publications page: one file, no external assets, no JavaScript.

The page is the Markdown CV in HTML: the same header from the profile (name and native name, field,
affiliation, homepage, ORCID), the same sections in the same order with the same names and counts
(`--group-by`, shared with `export.markdown`), the same citations (built-in ASA or a CSL style), one
ordered list per section, the owner's name in `<strong>` and the equal-contribution legend.

Accessibility: `<html lang="en">` (the page's own words are English) with `lang` on a CJK native name,
a skip link to the list, headings in order (h1, then one h2 per section), lists as `<ol>`, links with
visible focus, text and link colours well above WCAG AA contrast, and a print stylesheet.

Safety: everything taken from the store is text. Each value is HTML-escaped (quotes too), control and
bidi characters become visible escapes, and only http(s) addresses become links. The output is the
same bytes for the same store: nothing depends on the date, the machine or dict order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from scholarcli.cite.styled import HtmlRenderer, is_web_url, safe_url
from scholarcli.cite.styled import escape_html as _escape
from scholarcli.export.base import ExportOptions, WorkExtras, fold_preprints, legend_lines, work_extras
from scholarcli.export.markdown import Cite, Legend, Section, citations, group, legend_marks
from scholarcli.model import Library, Profile, Publication, has_cjk

PAGE_TITLE_SUFFIX = "Publications"
NO_WORKS = "No works selected."

# Inline so the page is one file; colours are WCAG AAA on their backgrounds (#1b1b1b on #fff is
# 17:1, links #17457a 9:1; in dark mode #e8e8e8 on #161616 15:1, links #9ec5ff 10:1).
_STYLE = """\
body { margin: 0 auto; max-width: 46rem; padding: 1.5rem 1rem 3rem; font-family: Georgia, "Times New Roman", serif; font-size: 1.0625rem; line-height: 1.55; color: #1b1b1b; background: #fff; }
a { color: #17457a; overflow-wrap: anywhere; }
a:focus-visible { outline: 3px solid #b35900; outline-offset: 2px; }
.skip-link { position: absolute; left: 0.5rem; top: -3rem; padding: 0.5rem 0.75rem; background: #17457a; color: #fff; }
.skip-link:focus { top: 0.5rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 0.4rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 1px solid #8a8a8a; }
.profile { margin: 0; color: #333; }
.intro { margin: 0 0 0.8rem; }
ol.works { padding-left: 2.2rem; margin: 0; }
ol.works > li { margin: 0 0 0.7rem; padding-left: 0.2rem; overflow-wrap: anywhere; }
.status { font-style: italic; }
.button { display: inline-block; padding: 0 0.45rem; margin: 0.15rem 0.2rem 0 0; border: 1px solid #17457a; border-radius: 0.25rem; font-size: 0.85rem; text-decoration: none; }
.badge { display: inline-block; padding: 0 0.4rem; border-radius: 0.25rem; font-size: 0.85rem; background: #fff3d6; color: #4a3200; }
.legend { margin-top: 2rem; font-size: 0.95rem; }
@media (prefers-color-scheme: dark) {
  body { color: #e8e8e8; background: #161616; }
  a { color: #9ec5ff; }
  .profile { color: #d0d0d0; }
  .skip-link { background: #9ec5ff; color: #161616; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; color: #000; background: #fff; }
  a { color: #000; text-decoration: none; }
  .skip-link { display: none; }
  h2 { break-after: avoid; border-bottom-color: #000; }
  ol.works > li { break-inside: avoid; }
}
"""


def export(works: Sequence[Publication], library: Library, options: ExportOptions) -> str:
    """The HTML publications page of the given works (see the module docstring)."""
    listed, preprints = fold_preprints(works)
    sections = group(listed, library, options.group_by)
    cite, marks = citations(
        listed, library, options.style, HtmlRenderer(), target="html", marks=options.role_marks()
    )
    return render(library.profile, sections, cite, legend=marks, preprints=preprints)


def render(
    profile: Profile,
    sections: Sequence[Section],
    cite: Cite,
    *,
    legend: Legend,
    preprints: dict[str, Publication] | None = None,
) -> str:
    """The document: head and style, header from the profile, then one section per group."""
    title = escape_html(profile.name)
    native = _native_name(profile)
    page_title = f"{title} ({escape_html(profile.native_name or '')})" if native else title
    heading = f"{title} ({native})" if native else title
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="scholarcli">',
        f"<title>{page_title}: {PAGE_TITLE_SUFFIX}</title>",
        f"<style>\n{_STYLE}</style>",
        "</head>",
        "<body>",
        '<a class="skip-link" href="#works">Skip to the publications</a>',
        "<header>",
        f"<h1>{heading}</h1>",
        *_profile_line(profile),
        "</header>",
        '<main id="works" tabindex="-1">',
    ]
    if not sections:
        lines.append(f"<p>{NO_WORKS}</p>")
    for number, section in enumerate(sections, start=1):
        section_heading = escape_html(section.title)
        if section.counted:
            section_heading += f" ({len(section.works)})"
        lines += [
            f'<section aria-labelledby="section-{number}">',
            f'<h2 id="section-{number}">{section_heading}</h2>',
        ]
        if section.intro:
            lines.append(f'<p class="intro">{escape_html(section.intro)}</p>')
        lines.append('<ol class="works">')
        for publication in section.works:
            lines.append(work_item(publication, cite, work_extras(publication, preprints or {})))
        lines += ["</ol>", "</section>"]
    explained = legend_lines((work for section in sections for work in section.works), legend_marks(legend))
    if explained:
        lines += [f'<p class="legend">{escape_html(line)}</p>' for line in explained]
    lines += ["</main>", "</body>", "</html>", ""]
    return "\n".join(lines)


def work_item(publication: Publication, cite: Cite, extras: WorkExtras | None = None) -> str:
    """One work's list item: a "Featured" badge, its citation, a label when it is not out yet, then
    its links as buttons (`<a class="button">`, http(s) addresses only, escaped like the header's),
    a linked preprint with no address as a note, and its award as a badge.

    This is the one place a work's entry is assembled (the authors' role marks are in the citation).
    """
    status = ""
    if publication.status != "published":
        status = f' <span class="status">({escape_html(publication.status_label)})</span>'
    before, after = "", ""
    if extras is not None:
        if extras.featured:
            before = '<span class="badge featured">Featured</span> '
        buttons = [
            f'<a class="button" href="{_escape(safe_url(url), attribute=True)}">{escape_html(label)}</a>'
            for label, url in extras.links
            if is_web_url(url)
        ]
        if extras.preprint_note:
            buttons.append(f'<span class="note">Preprint: {escape_html(extras.preprint_note)}</span>')
        if extras.award:
            buttons.append(f'<span class="badge award">{escape_html(extras.award)}</span>')
        if buttons:
            after = f' <span class="links">{" ".join(buttons)}</span>'
    return f"<li>{before}{cite(publication)}{status}{after}</li>"


def escape_html(text: str) -> str:
    """A profile or theme value as one line of HTML text (record text inside a citation keeps its
    spacing between styled runs, so `HtmlRenderer` does not trim)."""
    return _escape(" ".join(text.split()))


def _native_name(profile: Profile) -> str:
    """The native name as HTML, tagged with its language when it is CJK; "" when there is none."""
    native = " ".join((profile.native_name or "").split())
    if not native or native == " ".join(profile.name.split()):
        return ""
    text = escape_html(native)
    language = _cjk_language(native)
    return f'<span lang="{language}">{text}</span>' if language else text


_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def _cjk_language(text: str) -> str | None:
    """The language of CJK text, told apart by script: kana is Japanese, hangul Korean, Han alone
    Chinese; None for text without CJK (its language is unknown, so it gets no tag)."""
    if not has_cjk(text):
        return None
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    return "zh"


def _profile_line(profile: Profile) -> list[str]:
    details = [escape_html(text) for text in (profile.field, profile.affiliation) if text]
    if profile.homepage:
        details.append(_link(profile.homepage, profile.homepage))
    if profile.orcid:
        details.append("ORCID " + _link(profile.orcid, f"https://orcid.org/{profile.orcid}"))
    if profile.email:
        details.append(_link(profile.email, f"mailto:{profile.email}", mail=True))
    return [f'<p class="profile">{" · ".join(details)}</p>'] if details else []


def _link(text: str, url: str, *, mail: bool = False) -> str:
    """A link to an http(s) address (or a mailto we built), else the text alone: a `javascript:`
    homepage is shown, never followed."""
    if not (mail or is_web_url(url)):
        return escape_html(text)
    return f'<a href="{_escape(safe_url(url), attribute=True)}">{escape_html(text)}</a>'
