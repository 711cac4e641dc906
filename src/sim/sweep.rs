//! Sweeps over parameters: the grid of every combination of some parameters' values,
//! and the names of the outcomes a sweep reports for each row (computed by
//! `distlab sweep` from many trials; claims about them are checked like step claims).

use crate::sanitize::quote;

/// Most rows a sweep may have.
pub const ROWS_MAX: usize = 64;

/// The outcomes a sweep reports for each row, in column order.
pub const OUTCOMES: &[&str] = &[
    "loss_seeds",
    "lost_per_run",
    "availability",
    "mean_ack_ms",
    "p99_ack_ms",
    "false_suspicions_per_run",
    "p50_detection_ms",
    "duplicate_charges_per_run",
];

/// A row's place in the grid: each varied parameter and its value there.
pub type At = Vec<(String, String)>;

/// One varied parameter and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub key: String,
    pub values: Vec<String>,
}

/// Reads the `--vary` arguments: each `KEY=V1,V2,...`, keys unique, values not empty.
pub fn axes(vary: &[impl AsRef<str>]) -> Result<Vec<Axis>, String> {
    let mut out: Vec<Axis> = Vec::new();
    for v in vary {
        let v = v.as_ref();
        let Some((key, values)) = v.split_once('=') else {
            return Err(format!(
                "--vary {}: expected KEY=V1,V2,... (e.g. drop=0,0.1,0.2)",
                quote(v)
            ));
        };
        let key = key.trim();
        let values: Vec<String> = values.split(',').map(|x| x.trim().to_owned()).collect();
        if key.is_empty() || values.iter().any(String::is_empty) {
            return Err(format!(
                "--vary {}: a parameter and a value between every comma are needed",
                quote(v)
            ));
        }
        if let Some(twice) = values
            .iter()
            .enumerate()
            .find_map(|(i, x)| values[..i].contains(x).then_some(x))
        {
            return Err(format!(
                "--vary {}: `{}` is given twice; each value makes one row",
                quote(v),
                quote(twice)
            ));
        }
        if out.iter().any(|a| a.key == key) {
            return Err(format!(
                "--vary {}: `{}` is already varied; give all its values in one --vary",
                quote(v),
                quote(key)
            ));
        }
        out.push(Axis {
            key: key.to_owned(),
            values,
        });
    }
    if out.is_empty() {
        return Err("nothing to sweep: give at least one --vary KEY=V1,V2,...".to_owned());
    }
    Ok(out)
}

/// Every combination of the axes' values, the first axis varying slowest.
pub fn grid(axes: &[Axis]) -> Vec<At> {
    let mut rows: Vec<At> = vec![Vec::new()];
    for a in axes {
        rows = rows
            .into_iter()
            .flat_map(|row| {
                a.values.iter().map(move |v| {
                    let mut r = row.clone();
                    r.push((a.key.clone(), v.clone()));
                    r
                })
            })
            .collect();
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_is_every_combination_first_axis_slowest() {
        let a = axes(&["drop=0,0.5", "mode=async,sync,quorum"]).unwrap();
        let g = grid(&a);
        assert_eq!(g.len(), 6);
        assert_eq!(
            g[0],
            [("drop".into(), "0".into()), ("mode".into(), "async".into())]
        );
        assert_eq!(
            g[3],
            [
                ("drop".into(), "0.5".into()),
                ("mode".into(), "async".into())
            ]
        );
        for bad in ["drop", "drop=", "drop=0,,1", "=1,2"] {
            assert!(axes(&[bad]).is_err(), "{bad}");
        }
        assert!(axes(&["drop=0", "drop=1"]).is_err());
        let none: [&str; 0] = [];
        assert!(axes(&none).is_err());
    }
}
