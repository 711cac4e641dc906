//! Cues a learner can score by without reading: today, a quiz whose right option is
//! usually the longest. `distlab check` warns about it, so a teacher sees the cue too.

use std::ops::Range;

use super::Lesson;

/// Above this share of questions (percent) whose right option is the longest, `check` warns.
pub const LONGEST_KEY_PERCENT_MAX: usize = 40;

/// The questions answered by picking an option (an estimate question has none).
fn with_options(lesson: &Lesson) -> impl Iterator<Item = &super::Question> {
    lesson.questions.iter().filter(|q| !q.options.is_empty())
}

/// The questions whose right option is strictly longer than every other option.
pub fn longest_keys(lesson: &Lesson) -> Vec<&str> {
    with_options(lesson)
        .filter(|q| {
            let key = q.answer();
            let len = |i: usize| q.options[i].text.chars().count();
            (0..q.options.len()).all(|i| i == key || len(i) < len(key))
        })
        .map(|q| q.id.as_str())
        .collect()
}

/// A warning, at the first such question, when the right option is the longest in more
/// than [`LONGEST_KEY_PERCENT_MAX`] percent of the questions answered with an option.
pub fn longest_key_warning(lesson: &Lesson) -> Option<(Range<usize>, String)> {
    let n = with_options(lesson).count();
    let longest = longest_keys(lesson);
    if n == 0 || longest.len() * 100 <= LONGEST_KEY_PERCENT_MAX * n {
        return None;
    }
    let first = lesson.questions.iter().find(|q| q.id == longest[0])?;
    Some((
        first.id.span(),
        format!(
            "warning: the right option is the longest in {} of {n} questions ({}%): a learner can \
             score by picking the longest option without reading; keep it at most {}% \
             (questions: {})",
            longest.len(),
            longest.len() * 100 / n,
            LONGEST_KEY_PERCENT_MAX,
            longest.join(", ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{Text, builtin};

    #[test]
    fn warns_when_the_key_is_usually_the_longest_and_not_otherwise() {
        let mut l = builtin().unwrap();
        l.questions.retain(|q| !q.options.is_empty());
        for q in &mut l.questions {
            let key = q.answer();
            let longest = q.options.iter().map(|o| o.text.len()).max().unwrap_or(0);
            q.options[key].text = Text::new("k".repeat(longest + 1));
        }
        let (_, w) = longest_key_warning(&l).expect("every key is the longest");
        assert!(
            w.contains(&format!(
                "{n} of {n} questions (100%)",
                n = l.questions.len()
            )),
            "{w}"
        );
        for q in &mut l.questions {
            let key = q.answer();
            q.options[key].text = Text::new("k");
        }
        assert!(longest_keys(&l).is_empty());
        assert_eq!(longest_key_warning(&l), None);
    }
}
