// The site stylesheet served at `{base}/site.css` for the HTML pages and the XSLT view (no inline styles: strict CSP).

/** Plain CSS: readable type, light/dark via prefers-color-scheme, no external fonts or images. */
export const SITE_CSS = `:root { color-scheme: light dark; --fg: #1d1f21; --muted: #5b6167; --bg: #fdfdfc; --card: #ffffff; --line: #dfe2e5; --accent: #0b5cad; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e6e3; --muted: #a3a9ae; --bg: #151719; --card: #1d2023; --line: #33383d; --accent: #7ab7ff; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 17px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main, header.site, footer.site { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
header.site { padding-top: 2rem; }
header.site h1 { margin: 0 0 .25rem; font-size: 1.9rem; line-height: 1.2; }
header.site p { margin: .25rem 0; color: var(--muted); }
footer.site { padding: 2rem 1rem 3rem; color: var(--muted); font-size: .9rem; }
a { color: var(--accent); }
.notice { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem 1rem; margin: 1rem 0; background: var(--card); }
.feeds { list-style: none; padding: 0; }
.feed, .story { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem 1.25rem; margin: 1rem 0; }
.feed h2, .story h2 { margin: 0 0 .35rem; font-size: 1.25rem; line-height: 1.3; }
.meta { color: var(--muted); font-size: .9rem; margin: .25rem 0; }
.subscribe { display: flex; flex-wrap: wrap; gap: .5rem; padding: 0; margin: .5rem 0 0; list-style: none; }
.subscribe a { display: inline-block; padding: .15rem .6rem; border: 1px solid var(--line); border-radius: 1rem; text-decoration: none; font-size: .9rem; }
.tags { display: flex; flex-wrap: wrap; gap: .35rem; padding: 0; margin: .5rem 0; list-style: none; }
.tags a, .tags span { font-size: .8rem; padding: .05rem .5rem; border-radius: .75rem; background: var(--bg); border: 1px solid var(--line); text-decoration: none; }
.story .body img, .story .body video { max-width: 100%; height: auto; }
.story .body { overflow-wrap: anywhere; }
.wd-credit, .wd-also { color: var(--muted); font-size: .9rem; }
.wd-related h4 { margin: .75rem 0 .25rem; font-size: 1rem; }
.wd-related ul { margin: 0; padding-left: 1.2rem; }
`;
