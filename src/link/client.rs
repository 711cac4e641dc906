//! The presenter's side of the link: find the projected instances, connect to one, read
//! what it pushes and send it commands.

use std::io::{self, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Command, Event, Hello, LINE_MAX, parse_event, read_line, request_line};

/// A connection to a projected instance.
pub struct Link {
    pub path: PathBuf,
    pub hello: Hello,
    writer: UnixStream,
    reader: BufReader<UnixStream>,
}

/// Connects to the instance at `path` and reads its hello (waiting at most `wait`).
pub fn connect(path: &Path, wait: Duration) -> Result<Link, String> {
    let shown = crate::sanitize::one_line(&path.display().to_string());
    let stream =
        UnixStream::connect(path).map_err(|e| format!("cannot connect to {shown}: {e}"))?;
    let _ = stream.set_read_timeout(Some(wait));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let writer = stream
        .try_clone()
        .map_err(|e| format!("cannot use {shown}: {e}"))?;
    let mut reader = BufReader::new(stream);
    let hello = match read_line(&mut reader, LINE_MAX) {
        Ok(Some(Ok(line))) => match parse_event(&line)? {
            Event::Hello(h) => h,
            Event::Error { message } => {
                return Err(format!("{shown}: {}", crate::sanitize::quote(&message)));
            }
            Event::State(_) => return Err(format!("{shown} did not say hello first")),
        },
        Ok(Some(Err(e))) => return Err(format!("{shown}: {e}")),
        Ok(None) => return Err(format!("{shown} closed the connection")),
        Err(e) => return Err(format!("{shown} did not answer: {e}")),
    };
    // From now on reads block until the instance says something (or goes away).
    let _ = reader.get_ref().set_read_timeout(None);
    Ok(Link {
        path: path.to_owned(),
        hello,
        writer,
        reader,
    })
}

impl Link {
    /// Sends a command.
    pub fn send(&mut self, command: Command) -> io::Result<()> {
        self.writer.write_all(request_line(command).as_bytes())
    }

    /// A handle that can send commands from another thread.
    pub fn sender(&self) -> io::Result<Sender> {
        Ok(Sender(self.writer.try_clone()?))
    }

    /// The next event; `None` once the instance is gone. A line that does not parse is
    /// reported as an error event and reading goes on.
    pub fn next_event(&mut self) -> Option<Event> {
        match read_line(&mut self.reader, LINE_MAX) {
            Ok(Some(Ok(line))) => Some(parse_event(&line).unwrap_or_else(|message| Event::Error {
                message: format!("bad line from distlab: {message}"),
            })),
            Ok(Some(Err(e))) => Some(Event::Error {
                message: format!("bad line from distlab: {e}"),
            }),
            Ok(None) | Err(_) => None,
        }
    }
}

/// Sends commands on a link (a clone of its socket).
pub struct Sender(UnixStream);

impl Sender {
    pub fn send(&mut self, command: Command) -> io::Result<()> {
        self.0.write_all(request_line(command).as_bytes())
    }
}

/// Every projected instance serving a link in `dir` that answers, with its hello.
pub fn candidates(dir: &Path) -> Vec<(PathBuf, Hello)> {
    super::place::sockets(dir)
        .into_iter()
        .filter_map(|p| {
            let link = connect(&p, super::place::HELLO_WAIT).ok()?;
            Some((p, link.hello))
        })
        .collect()
}
