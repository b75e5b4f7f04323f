//! `POST /trade/v1/add_note` (reference §13).

use crate::param::{PairSink, ParamValue};
use crate::qf_endpoint;
use crate::response::qf_object;
use crate::sign::InvalidParam;
use crate::types::Syssn;

/// A remark of at most 200 characters (`note` of `/trade/v1/add_note`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Note(String);

impl Note {
    /// Maximum length in characters.
    pub const MAX_CHARS: usize = 200;

    /// Checks (not empty, ≤ 200 characters, no control characters) and wraps `text`.
    pub fn new(text: impl Into<String>) -> Result<Self, InvalidParam> {
        let text = text.into();
        let invalid = |reason: String| InvalidParam {
            name: "note",
            reason: reason.into(),
        };
        let count = text.chars().count();
        if count == 0 {
            return Err(invalid("must not be empty".into()));
        }
        if count > Self::MAX_CHARS {
            return Err(invalid(format!(
                "is {count} characters long, at most {} are allowed",
                Self::MAX_CHARS
            )));
        }
        if text.chars().any(char::is_control) {
            return Err(invalid("contains a control character".into()));
        }
        Ok(Note(text))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl ParamValue for Note {
    fn write_param<S: PairSink + ?Sized>(&self, name: &'static str, out: &mut S) {
        out.pair(name, &self.0);
    }
}

/// `POST /trade/v1/add_note`: attach a remark to a successful transaction
/// (shown in the merchant portal and reports).
///
/// Only for merchants that do **not** use `mchid`: the client never adds its
/// `mchid` to this request. `code` is the app code again, as a body
/// parameter; the request is signed like any other POST.
///
/// ```
/// use qfpay::api::{AddNote, Note};
/// use qfpay::types::Syssn;
/// use qfpay::StaticEndpoint;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let req = AddNote::builder()
///     .code("A6A49A66B4C94EA95032")
///     .syssn(Syssn::new("20190722000200020081075691")?)
///     .note(Note::new("add_note")?)
///     .build();
/// assert_eq!(qfpay::form_body(&req), "code=A6A49A66B4C94EA95032&note=add_note&syssn=20190722000200020081075691");
/// assert!(!AddNote::SPEC.sends_mchid);
/// # Ok(()) }
/// ```
#[qf_endpoint(path = "/trade/v1/add_note", method = "POST", response = AddNoteResponse, mchid = false)]
#[derive(Clone, Debug)]
pub struct AddNote {
    /// The app code (the same value as the `X-QF-APPCODE` header).
    pub code: String,
    /// The transaction to annotate.
    pub syssn: Syssn,
    /// The remark.
    pub note: Note,
}

qf_object! {
    reply
    /// The response of `/trade/v1/add_note` (§13). The table puts `syssn` at
    /// the top level, the example under `data`; [`AddNoteResponse::syssn`]
    /// reads either.
    pub struct AddNoteResponse {
        /// `syssn` at the top level (per the table).
        #[serde(default, rename = "syssn")]
        pub top_level_syssn: Option<Syssn>,
        /// `data` (per the example).
        #[serde(default)]
        pub data: Option<AddNoteData>,
    }
}

qf_object! {
    record
    /// `data` of the add-note response.
    pub struct AddNoteData {
        shared { syssn }
    }
}

impl AddNoteResponse {
    /// The annotated transaction, from the top level or from `data`.
    pub fn syssn(&self) -> Option<&Syssn> {
        self.top_level_syssn
            .as_ref()
            .or_else(|| self.data.as_ref().and_then(|d| d.syssn.as_ref()))
    }
}
