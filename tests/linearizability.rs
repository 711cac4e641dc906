//! The histories `distlab sim ID --history` writes, checked by an independent
//! linearizability checker (`tests/linearizable`, no simulator code).

mod linearizable;
