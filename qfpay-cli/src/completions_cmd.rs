//! `qfpay completions SHELL` and `qfpay man`: shell completions and man
//! pages generated from the same clap definitions as the parser, so they
//! cannot drift from it.

use std::path::PathBuf;

use clap_complete::Shell;

use crate::failure::Failure;
use crate::output::write_stdout;

/// Arguments of `qfpay completions`.
#[derive(Clone, Debug, clap::Args)]
#[command(
    about = "Print a shell completion script for qfpay",
    after_help = "Examples:\n  \
qfpay completions bash > ~/.local/share/bash-completion/completions/qfpay\n  \
qfpay completions zsh > \"${fpath[1]}/_qfpay\"\n  \
qfpay completions fish > ~/.config/fish/completions/qfpay.fish"
)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum, value_name = "SHELL")]
    shell: Shell,
}

/// Arguments of `qfpay man`.
#[derive(Clone, Debug, clap::Args)]
#[command(
    about = "Print the qfpay(1) man page, or write a page per subcommand into a directory",
    after_help = "Examples:\n  qfpay man | man -l -\n  qfpay man --out-dir /usr/local/share/man/man1"
)]
pub struct ManArgs {
    /// Write qfpay.1 and one qfpay-SUBCOMMAND.1 per subcommand into DIR
    /// instead of printing qfpay(1).
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
}

/// Prints the completion script of `command` for the chosen shell.
pub fn completions(args: &CompletionsArgs, command: &mut clap::Command) -> Result<(), Failure> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, command, "qfpay", &mut script);
    write_stdout(&String::from_utf8_lossy(&script))
}

/// Prints qfpay(1), or writes every page into `--out-dir`.
pub fn man(args: &ManArgs, command: clap::Command) -> Result<(), Failure> {
    if let Some(dir) = &args.out_dir {
        return clap_mangen::generate_to(command, dir).map_err(|e| {
            Failure::io(format!(
                "cannot write man pages to `{}`: {e}",
                dir.display()
            ))
        });
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut page)
        .map_err(|e| Failure::io(format!("cannot render the man page: {e}")))?;
    write_stdout(&String::from_utf8_lossy(&page))
}
