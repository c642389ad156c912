//! `passport recordings`: which texts of a language can be heard and which still need a
//! recording, most important first, for planning a recording session; and the import of a
//! folder of clips recorded elsewhere, named by the text's id, checked like an upload and
//! saved unpublished until `passport translations publish`.

use super::DbArgs;
use crate::audio::{store, wanted};
use crate::error::StartError;
use crate::i18n::Locale;
use crate::state::open_database;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum RecordingsCommand {
    /// Print each text that can carry a recording, one per line: its id, whether it has one
    /// (recorded, saved, removed or missing), and the text, most important first.
    List {
        #[arg(long)]
        locale: String,
        /// Only the texts without a recording.
        #[arg(long)]
        missing: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Save every clip in DIR named `<text id>.opus`, `.ogg` or `.webm` as that text's
    /// recording, unpublished. A file that is not a short Opus clip, or names no text, is
    /// reported and left out; the others are saved.
    Import {
        dir: PathBuf,
        #[arg(long)]
        locale: String,
        /// The name the history shows for these recordings.
        #[arg(long, default_value = "passport recordings import")]
        by: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(command: RecordingsCommand) -> Result<(), StartError> {
    let (RecordingsCommand::List { db, locale, .. } | RecordingsCommand::Import { db, locale, .. }) =
        &command;
    let locale = Locale::from_code(locale)
        .ok_or_else(|| StartError::Usage(format!("`{locale}` is not one of en, vi, th, ksw")))?;
    let db = open_database(&db.db).await?;
    match command {
        RecordingsCommand::List { missing, .. } => {
            for text in db.read(move |c| wanted::list(c, locale)).await? {
                if missing && text.recorded() {
                    continue;
                }
                let state = match (&text.pending, &text.published) {
                    (Some(Some(_)), _) => "saved",
                    (Some(None), _) => "removed",
                    (None, Some(_)) => "recorded",
                    (None, None) => "missing",
                };
                println!("{}\t{state}\t{}", text.id, text.text.replace('\n', " "));
            }
        }
        RecordingsCommand::Import { dir, by, .. } => {
            let file_error = |source| StartError::File {
                path: dir.display().to_string(),
                source,
            };
            let mut clips = Vec::new();
            for entry in std::fs::read_dir(&dir).map_err(file_error)? {
                let path = entry.map_err(file_error)?.path();
                let id = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| {
                        ["opus", "ogg", "webm"]
                            .iter()
                            .find_map(|e| n.strip_suffix(&format!(".{e}")))
                    })
                    .map(str::to_owned);
                if let Some(id) = id {
                    let bytes = std::fs::read(&path).map_err(|source| StartError::File {
                        path: path.display().to_string(),
                        source,
                    })?;
                    clips.push((id, bytes));
                }
            }
            clips.sort();
            let report = db
                .write(move |c| {
                    let tx = c.transaction()?;
                    // The texts that can carry a recording, read once for all the files.
                    let recordable: std::collections::HashSet<String> =
                        wanted::list(&tx, Locale::SOURCE)?
                            .into_iter()
                            .map(|w| w.id)
                            .collect();
                    let mut lines = Vec::new();
                    for (id, bytes) in &clips {
                        let line = if !recordable.contains(id) {
                            format!("{id}: no text with this id can carry a recording")
                        } else {
                            match store::save(&tx, id, locale, bytes, &by)? {
                                Ok(clip) => format!(
                                    "{id}: saved ({} ms, {} KB)",
                                    clip.millis,
                                    bytes.len().div_ceil(1024)
                                ),
                                Err(refusal) => format!("{id}: refused ({refusal:?})"),
                            }
                        };
                        lines.push(line);
                    }
                    tx.commit()?;
                    Ok(lines)
                })
                .await?;
            for line in &report {
                println!("{line}");
            }
            println!(
                "{} files; publish with `passport translations publish`",
                report.len()
            );
        }
    }
    Ok(())
}
