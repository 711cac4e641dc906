//! Everything the learner can ask for, as data. Keys and mouse events become [`Action`]s in
//! `keymap`; only `App::update` turns an action into a change of state.

/// The four screens, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Lesson,
    Concepts,
    Lab,
    Quiz,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Lesson, Tab::Concepts, Tab::Lab, Tab::Quiz];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Lesson => "Lesson",
            Tab::Concepts => "Concepts",
            Tab::Lab => "Lab",
            Tab::Quiz => "Quiz",
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % Tab::ALL.len()]
    }

    pub fn prev(self) -> Tab {
        Tab::ALL[(self.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }
}

pub use super::quiz_tab::QuizAction;

/// Scrolling, shared by every screen that scrolls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scroll {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    NextSection,
    PrevSection,
}

/// A change the learner asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Action {
    Quit,
    GoTab(Tab),
    NextTab,
    PrevTab,
    ToggleHelp,
    CloseOverlay,
    Scroll(Scroll),
    /// Scroll whatever is under the mouse by this many lines (negative: up).
    Wheel {
        column: u16,
        row: u16,
        lines: i16,
    },
    /// A left click at a screen position.
    Click {
        column: u16,
        row: u16,
    },
    NextConcept,
    PrevConcept,
    /// Load the current concept's scenario into the lab (with several: offer the choice).
    TryIt,
    /// The "try which scenario?" list of a concept with several.
    Choose(Choose),
    /// The course's start screen (`--course`).
    Course(super::course::CourseAction),
    /// Leave distlab altogether (Ctrl-C, a signal); `Quit` (q) leaves a lesson opened from
    /// a course for the course's list.
    QuitAll,
    Lab(LabAction),
    Quiz(QuizAction),
    /// Open the concept or section the current quiz question checks.
    OpenChecked,
    /// Run the current quiz question's scenario in the lab.
    RunQuestion,
    /// The Trade-offs view of the lesson's sweeps.
    TradeOffs(super::tradeoffs::TradeAction),
    Resize {
        width: u16,
        height: u16,
    },
    /// Wall time passed since the last frame (advances a running lab).
    Tick(std::time::Duration),
}

/// The keys of the "try which scenario?" list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choose {
    Next,
    Prev,
    Open,
    Cancel,
}

/// Lab controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabAction {
    RunPause,
    Step,
    Faster,
    Slower,
    ClientWrite,
    SelectNext,
    SelectPrev,
    CrashRestart,
    PauseNode,
    Partition,
    PartitionOneWay,
    Heal,
    SkewBack,
    SkewForward,
    CycleDrop,
    DropNext,
    CycleMode,
    ToggleTimestamps,
    /// Fencing on / off: whether nodes refuse a deposed primary's writes.
    ToggleFencing,
    /// Acks on receipt / after disk sync (`ack_after`), where disks sync periodically.
    ToggleAckAfter,
    /// Replay from the start in the next replication mode (async → sync → quorum).
    ReplayNextMode,
    /// Replay the checkout from the start with idempotency keys on / off.
    ToggleIdempotency,
    /// Show / hide what each mark on the cluster and the space-time diagram means.
    ToggleLegend,
    /// Heartbeats on the space-time diagram: shown or hidden.
    ToggleHeartbeats,
    /// The stamps printed beside messages on the space-time diagram and in the log: none,
    /// the sender's wall clock, its Lamport clock, the write's timestamp.
    CycleStamps,
    /// Pick the message sent before the one picked (the newest, at first) and say its fate.
    PickOlderMessage,
    /// Pick the message sent after the one picked; past the newest, none.
    PickNewerMessage,
    Reset,
    NewSeed,
    NextScenario,
    PrevScenario,
    Save,
    CyclePanel,
    /// Start the scenario's guided walkthrough.
    Walkthrough,
    WalkNext,
    WalkBack,
    WalkExit,
    /// Compare: split into two runs that differ in one setting (again: one run).
    Compare,
    /// Why?: the causal chain of the latest anomaly so far.
    Why,
    WhyClose,
    /// Select the next (older) / previous link of the chain shown.
    WhyNextLink,
    WhyPrevLink,
    /// Show the anomaly after / before the one shown.
    WhyNextAnomaly,
    WhyPrevAnomaly,
}

impl LabAction {
    /// One of the why? panel's own controls (they keep it open).
    pub fn is_why(self) -> bool {
        matches!(
            self,
            LabAction::Why
                | LabAction::WhyClose
                | LabAction::WhyNextLink
                | LabAction::WhyPrevLink
                | LabAction::WhyNextAnomaly
                | LabAction::WhyPrevAnomaly
        )
    }
}
