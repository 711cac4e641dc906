//! Leitner boxes: a right answer moves a question up one box, a wrong one back to box 1.
//! Review asks the lowest boxes first, so what was missed comes back soonest.

/// The box a question starts in and falls back to when missed.
pub const FIRST_BOX: u8 = 1;
/// The highest box: questions answered right again and again stay here.
pub const LAST_BOX: u8 = 5;

/// The box after an answer: up one (at most [`LAST_BOX`]) if right, [`FIRST_BOX`] if wrong.
pub fn next_box(current: u8, correct: bool) -> u8 {
    if correct {
        clamp(current).saturating_add(1).min(LAST_BOX)
    } else {
        FIRST_BOX
    }
}

/// `b` forced into the valid range of boxes (a hand-edited file may hold anything).
pub fn clamp(b: u8) -> u8 {
    b.clamp(FIRST_BOX, LAST_BOX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_moves_up_one_box_and_stops_at_the_last() {
        assert_eq!(next_box(1, true), 2);
        assert_eq!(next_box(4, true), 5);
        assert_eq!(next_box(5, true), 5);
    }

    #[test]
    fn wrong_goes_back_to_the_first_box() {
        for b in 1..=5 {
            assert_eq!(next_box(b, false), 1);
        }
    }

    #[test]
    fn out_of_range_boxes_are_clamped() {
        assert_eq!(next_box(0, true), 2);
        assert_eq!(next_box(200, true), 5);
        assert_eq!(clamp(0), 1);
    }
}
