//! Frame render time on a `TestBackend`: the Lesson screen and the full Lab screen at 200×60
//! (target: a full Lab frame in under 2 ms) and at 120×40, and the cluster-splitting pass
//! each frame ends with.

use criterion::{Criterion, criterion_group, criterion_main};
use distlab::lesson;
use distlab::tui::Options;
use distlab::tui::action::{Action, Tab};
use distlab::tui::app::App;
use distlab::tui::theme::Theme;
use distlab::tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

fn app(width: u16, height: u16, tab: Tab) -> App {
    let lesson = lesson::builtin().expect("built-in lesson");
    let mut app = App::new(
        lesson,
        Options::new(Theme::builtin("dark").unwrap()),
        Rect::new(0, 0, width, height),
    );
    app.update(Action::GoTab(tab));
    if let Some(lab) = &mut app.lab {
        // A lab with history: messages in flight, arrows in the diagram, a full log.
        lab.run_to(8_000_000);
    }
    app
}

fn frames(c: &mut Criterion) {
    for (width, height, tab, name) in [
        (200, 60, Tab::Lesson, "lesson 200x60"),
        (120, 40, Tab::Lesson, "lesson 120x40"),
        (200, 60, Tab::Lab, "lab 200x60"),
        (120, 40, Tab::Lab, "lab 120x40"),
        (80, 24, Tab::Lab, "lab 80x24"),
    ] {
        let app = app(width, height, tab);
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        c.bench_function(name, |b| {
            b.iter(|| {
                terminal.draw(|f| ui::render(&app, f)).unwrap();
            });
        });
    }
}

/// The pass every frame ends with (`tui::cells::split_clusters`) on a full 200×60 Lab
/// frame: its share of the frame time.
fn split_pass(c: &mut Criterion) {
    let app = app(200, 60, Tab::Lab);
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    terminal.draw(|f| ui::render(&app, f)).unwrap();
    let mut buffer = terminal.backend().buffer().clone();
    c.bench_function("split clusters 200x60", |b| {
        b.iter(|| distlab::tui::cells::split_clusters(&mut buffer))
    });
}

criterion_group!(benches, frames, split_pass);
criterion_main!(benches);
