//! The charts people look at, rendered to pixels by a pure-Rust SVG renderer (resvg) and
//! checked for content: `tally --report` on the shipped Schulze and STV fixtures, and
//! `compare --chart`. A chart that parses but draws nothing, or draws one colour, fails.
//!
//! With `ELECTORATE_CHART_PNG_DIR` set, the rendered charts are also written there as PNG
//! files (that is how `docs/images/` is made).

mod common;

use std::path::Path;

use common::electorate;
use resvg::{tiny_skia, usvg};

/// An SVG rendered at its own size, with the system's fonts for its text.
fn render(svg: &str) -> tiny_skia::Pixmap {
    let mut options = usvg::Options::default();
    let fonts = options.fontdb_mut();
    fonts.load_system_fonts();
    // The charts ask for the generic "sans-serif"; map it to a face this machine has.
    let family = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial"]
        .into_iter()
        .find(|family| {
            fonts
                .faces()
                .any(|face| face.families.iter().any(|(name, _)| name == family))
        })
        .map(str::to_owned)
        .or_else(|| {
            fonts
                .faces()
                .next()
                .and_then(|face| face.families.first().map(|(name, _)| name.clone()))
        });
    if let Some(family) = family {
        fonts.set_sans_serif_family(family);
    }
    let tree = usvg::Tree::from_str(svg, &options).expect("the chart is valid SVG");
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).expect("a size");
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap
}

/// How many pixels are not white, and how many distinct colours the image has.
fn ink(pixmap: &tiny_skia::Pixmap) -> (usize, usize) {
    let mut colours = std::collections::BTreeSet::new();
    let mut inked = 0;
    for pixel in pixmap.pixels() {
        let rgba = (pixel.red(), pixel.green(), pixel.blue(), pixel.alpha());
        if rgba != (255, 255, 255, 255) {
            inked += 1;
        }
        colours.insert(rgba);
    }
    (inked, colours.len())
}

/// Render a chart, check it is drawn (a real share of its pixels inked, in several
/// colours), and keep a PNG when asked to.
fn check_drawn(svg_path: &Path, png_name: &str) {
    let svg = std::fs::read_to_string(svg_path).unwrap();
    let pixmap = render(&svg);
    let (inked, colours) = ink(&pixmap);
    let total = (pixmap.width() * pixmap.height()) as usize;
    assert!(
        inked * 50 > total,
        "{}: only {inked} of {total} pixels drawn",
        svg_path.display()
    );
    assert!(colours > 8, "{}: {colours} colours", svg_path.display());
    if let Some(dir) = std::env::var_os("ELECTORATE_CHART_PNG_DIR") {
        std::fs::create_dir_all(&dir).unwrap();
        pixmap.save_png(Path::new(&dir).join(png_name)).unwrap();
    }
}

#[test]
fn schulze_report_charts_render() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let ballots = common::path("fixtures/ballots/tennessee.toml");
    electorate(&[
        "tally",
        &ballots,
        "--method",
        "schulze",
        "--report",
        out.to_str().unwrap(),
    ])
    .success();
    check_drawn(&out.join("pairwise.svg"), "schulze-pairwise.png");
    check_drawn(
        &out.join("strongest-paths.svg"),
        "schulze-strongest-paths.png",
    );
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        html.contains("<li class=\"elected\">Nashville</li>"),
        "{html}"
    );
    let digest = sha256_of(Path::new(&ballots));
    assert!(
        html.contains(&digest),
        "the page names the ballot file's digest"
    );
    // The charts are inlined as well: the page stands alone.
    assert!(html.contains("<svg"), "inline charts");
    assert!(!html.contains("<script"), "no script");
}

#[test]
fn stv_report_charts_render() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    electorate(&[
        "tally",
        &common::path("fixtures/ballots/stv/wikipedia-food.toml"),
        "--method",
        "stv",
        "--report",
        out.to_str().unwrap(),
    ])
    .success();
    check_drawn(&out.join("rounds.svg"), "stv-rounds.png");
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        html.contains("Round 1") && html.contains("elected"),
        "{html}"
    );
}

#[test]
fn ties_and_draws_are_on_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let run = electorate(&[
        "tally",
        &common::path("fixtures/ballots/stv/irv-tie.csv"),
        "--method",
        "irv",
        "--tie-seed",
        "board 2026",
        "--report",
        out.to_str().unwrap(),
    ]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("id=\"ties\""), "{html}");
    assert!(html.contains("board 2026"), "the seed is shown");
}

#[test]
fn a_report_directory_is_not_written_over_foreign_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let run = electorate(&[
        "tally",
        &common::path("fixtures/ballots/tennessee.toml"),
        "--report",
        dir.path().to_str().unwrap(),
    ])
    .code(2);
    assert!(run.stderr.contains("notes.txt"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn compare_chart_renders() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("what-if.svg");
    electorate(&[
        "compare",
        "--election",
        &common::path("examples/ops-recognition/election.toml"),
        "--policy",
        "openstack",
        "--policy",
        "ops-as-atc",
        "--policy",
        "ops-status",
        "--from",
        "2016-02-01",
        "--to",
        "2017-02-01",
        "--every",
        "1month",
        "--chart",
        chart.to_str().unwrap(),
    ])
    .success();
    check_drawn(&chart, "compare.png");
    // ops-as-atc and ops-status give the same tc numbers here: their lines coincide, so
    // each series carries its own dash pattern and marker.
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.contains("<circle"), "the first series' markers");
    assert!(svg.contains("<polygon"), "the second series' markers");
}

fn sha256_of(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(std::fs::read(path).unwrap());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
