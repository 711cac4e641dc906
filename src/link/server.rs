//! The projected side of the link: a listener thread that accepts presenters, a reader
//! thread per presenter that turns its lines into [`Command`]s for the app's event loop,
//! and a [`Server`] the event loop publishes snapshots through. It costs nothing while
//! nobody connects: the threads block in `accept` and `read`.

use std::io::{self, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use super::{Command, Event, Hello, LINE_MAX, Snapshot, event_line, parse_request, read_line};

/// Most presenters connected at once; more are told so and closed.
pub const CLIENTS_MAX: usize = 8;

/// How long a write to a presenter may block before that presenter is dropped: a stuck
/// laptop never stalls the projected screen.
const WRITE_WAIT: Duration = Duration::from_millis(200);

/// A presenter's number, to answer it alone.
pub type ClientId = u64;

/// What the link hands the event loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Incoming {
    /// A presenter connected: it needs the current state.
    Joined(ClientId),
    /// A presenter's command, to be carried out like a key press.
    Command(ClientId, Command),
}

/// Hands the event loop what arrived; returns false once the app is gone (the threads
/// then stop).
pub type OnCommand = dyn Fn(Incoming) -> bool + Send + Sync;

#[derive(Default)]
struct Shared {
    clients: Vec<(ClientId, UnixStream)>,
    /// The last snapshot line sent, for newcomers and to skip repeats.
    last: Option<String>,
}

/// A link being served. Dropping it removes the socket (the threads end with the process).
pub struct Server {
    path: PathBuf,
    shared: Arc<Mutex<Shared>>,
    hello: Hello,
}

fn lock(m: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Server {
    /// Serves a link at `path` (its directory must exist and be private; see
    /// [`super::place::private_dir`]). A socket already there that nobody answers on is
    /// replaced; one that answers is another instance's, and an error says so.
    pub fn bind(path: &Path, hello: Hello, on_command: Arc<OnCommand>) -> io::Result<Server> {
        let listener = match UnixListener::bind(path) {
            Ok(l) => l,
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => {
                if !super::place::stale(path) {
                    return Err(io::Error::new(
                        io::ErrorKind::AddrInUse,
                        format!(
                            "a presenter link is already served at {}{}",
                            crate::sanitize::one_line(&path.display().to_string()),
                            super::place::pid_of(path)
                                .map_or(String::new(), |p| format!(" (by pid {p})"))
                        ),
                    ));
                }
                std::fs::remove_file(path)?;
                UnixListener::bind(path)?
            }
            Err(e) => return Err(e),
        };
        let shared = Arc::new(Mutex::new(Shared::default()));
        let server = Server {
            path: path.to_owned(),
            shared: Arc::clone(&shared),
            hello: hello.clone(),
        };
        thread::Builder::new()
            .name("presenter-link".into())
            .spawn(move || accept_loop(&listener, &shared, &hello, &on_command))?;
        Ok(server)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn hello(&self) -> &Hello {
        &self.hello
    }

    /// True while a presenter is connected (snapshots are worth building).
    pub fn has_clients(&self) -> bool {
        !lock(&self.shared).clients.is_empty()
    }

    /// Sends `snapshot` to every presenter, unless it is what they last got. A presenter
    /// whose write fails or blocks is dropped.
    pub fn publish(&self, snapshot: &Snapshot) {
        let line = event_line(Event::State(Box::new(snapshot.clone())));
        let mut s = lock(&self.shared);
        if s.last.as_deref() == Some(line.as_str()) {
            return;
        }
        s.clients
            .retain_mut(|(_, stream)| stream.write_all(line.as_bytes()).is_ok());
        s.last = Some(line);
    }

    /// Tells one presenter why its command did nothing.
    pub fn reply(&self, client: ClientId, message: &str) {
        let line = event_line(Event::Error {
            message: message.to_owned(),
        });
        let mut s = lock(&self.shared);
        s.clients
            .retain_mut(|(id, stream)| *id != client || stream.write_all(line.as_bytes()).is_ok());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn accept_loop(
    listener: &UnixListener,
    shared: &Arc<Mutex<Shared>>,
    hello: &Hello,
    on_command: &Arc<OnCommand>,
) {
    let next = AtomicU64::new(1);
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        let _ = stream.set_write_timeout(Some(WRITE_WAIT));
        let id = next.fetch_add(1, Ordering::Relaxed);
        let Ok(writer) = stream.try_clone() else {
            continue;
        };
        {
            let mut s = lock(shared);
            if s.clients.len() >= CLIENTS_MAX {
                let full = event_line(Event::Error {
                    message: format!("{CLIENTS_MAX} presenters are connected already"),
                });
                let _ = stream.write_all(full.as_bytes());
                continue;
            }
            let mut greeting = event_line(Event::Hello(hello.clone()));
            if let Some(last) = &s.last {
                greeting.push_str(last);
            }
            if writer_ok(&stream, &greeting) {
                s.clients.push((id, writer));
            } else {
                continue;
            }
        }
        if !on_command(Incoming::Joined(id)) {
            return;
        }
        let for_reader = Arc::clone(shared);
        let on_command = Arc::clone(on_command);
        let spawned = thread::Builder::new()
            .name(format!("presenter-{id}"))
            .spawn(move || read_commands(stream, id, &for_reader, &*on_command));
        if spawned.is_err() {
            lock(shared).clients.retain(|(c, _)| *c != id);
        }
    }
}

fn writer_ok(mut stream: &UnixStream, text: &str) -> bool {
    stream.write_all(text.as_bytes()).is_ok()
}

/// Reads one presenter's lines until it leaves: each command goes to the event loop, each
/// bad line is answered with an error and otherwise ignored.
fn read_commands(stream: UnixStream, id: ClientId, shared: &Mutex<Shared>, on_command: &OnCommand) {
    let mut reader = BufReader::new(&stream);
    while let Ok(Some(line)) = read_line(&mut reader, LINE_MAX) {
        let parsed = line
            .map_err(|e| e.to_string())
            .and_then(|l| parse_request(&l));
        match parsed {
            Ok(command) => {
                if !on_command(Incoming::Command(id, command)) {
                    break;
                }
            }
            Err(message) => {
                let line = event_line(Event::Error { message });
                if (&stream).write_all(line.as_bytes()).is_err() {
                    break;
                }
            }
        }
    }
    lock(shared).clients.retain(|(c, _)| *c != id);
}
