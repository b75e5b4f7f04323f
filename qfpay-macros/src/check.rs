//! Validation of what `attr` and `ast` parsed. Every problem is reported;
//! what is valid is returned so expansion can still emit a usable item.

use crate::ast::Field;
use crate::attr::EndpointArgs;
use crate::ctxt::Ctxt;
use syn::{LitStr, Type};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Method {
    Get,
    Post,
}

/// A hash the endpoint insists on, whatever the client is configured with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum SignType {
    Md5,
    Sha256,
}

/// The endpoint settings to expand. A setting that was missing or invalid
/// has been reported and holds a placeholder, so that the emitted impl still
/// type-checks and the one mistake gives one message.
pub(crate) struct Settings {
    pub(crate) path: LitStr,
    pub(crate) method: Method,
    pub(crate) response: Option<Type>,
    pub(crate) sends_mchid: bool,
    pub(crate) idempotent: bool,
    /// QFPay takes the endpoint by GET and by POST (`method` is what is sent).
    pub(crate) either_method: bool,
    pub(crate) sign_type: Option<SignType>,
    /// Whether to generate the builder (`builder = false` leaves it out).
    pub(crate) builder: bool,
}

pub(crate) fn endpoint_args(args: EndpointArgs, cx: &mut Ctxt) -> Settings {
    let missing_path = !args.saw("path");
    let missing_method = !args.saw("method");
    if missing_path || missing_method {
        let missing = match (missing_path, missing_method) {
            (true, true) => "`path` and `method`",
            (true, false) => "`path`",
            _ => "`method`",
        };
        let message = format!(
            "missing {missing} in `#[qf_endpoint(...)]`: write `#[qf_endpoint(path = \"/trade/v1/payment\", method = \"POST\")]`"
        );
        if args.tokens.is_empty() {
            cx.error_at(proc_macro2::Span::call_site(), message);
        } else {
            cx.error_spanned_by(&args.tokens, message);
        }
    }

    let path = match args.path {
        Some(lit) if path_is_valid(&lit, cx) => lit,
        other => {
            let span = other.map_or_else(proc_macro2::Span::call_site, |lit| lit.span());
            LitStr::new("/", span)
        }
    };

    let method = args
        .method
        .and_then(|lit| method(&lit, cx))
        .unwrap_or(Method::Post);

    Settings {
        path,
        method,
        response: args.response,
        sends_mchid: args.mchid.is_none_or(|lit| lit.value),
        idempotent: args.idempotent.is_some_and(|lit| lit.value),
        either_method: args.either_method.is_some_and(|lit| lit.value),
        sign_type: args.sign_type.and_then(|lit| sign_type(&lit, cx)),
        // An invalid value has been reported; the default keeps the struct
        // as usable as it would otherwise be.
        builder: args.builder.is_none_or(|lit| lit.value),
    }
}

fn sign_type(lit: &LitStr, cx: &mut Ctxt) -> Option<SignType> {
    match lit.value().as_str() {
        "MD5" => Some(SignType::Md5),
        "SHA256" => Some(SignType::Sha256),
        other => {
            cx.error_spanned_by(
                lit,
                format!("unsupported sign type {other:?}: use \"MD5\" or \"SHA256\""),
            );
            None
        }
    }
}

fn method(lit: &LitStr, cx: &mut Ctxt) -> Option<Method> {
    let value = lit.value();
    match value.as_str() {
        "GET" => Some(Method::Get),
        "POST" => Some(Method::Post),
        other => {
            let hint = match other.to_ascii_uppercase().as_str() {
                upper @ ("GET" | "POST") => format!("; methods are upper-case: \"{upper}\""),
                _ => String::new(),
            };
            cx.error_spanned_by(
                lit,
                format!(
                    "unsupported method {other:?}: the QFPay API uses \"GET\" or \"POST\"{hint}"
                ),
            );
            None
        }
    }
}

/// The path is pasted after the environment's base URL and signed by no
/// one, so anything that would change the URL's meaning is refused here.
fn path_is_valid(lit: &LitStr, cx: &mut Ctxt) -> bool {
    let path = lit.value();
    let problem = if path.is_empty() {
        Some("the path is empty; write the endpoint's path, e.g. \"/trade/v1/payment\"".to_owned())
    } else if !path.starts_with('/') {
        Some(format!("the path must start with `/`; write \"/{path}\""))
    } else if let Some(c) = path.chars().find(|c| !c.is_ascii()) {
        Some(format!("the path must be ASCII; found {c:?}"))
    } else if path
        .chars()
        .any(|c| c.is_ascii_whitespace() || c.is_ascii_control())
    {
        Some("the path must not contain whitespace or control characters".to_owned())
    } else if path.contains('?') {
        Some(
            "the path must not contain `?`: parameters are the struct's fields, not a query string"
                .to_owned(),
        )
    } else if path.contains('#') {
        Some("the path must not contain `#`".to_owned())
    } else {
        None
    };
    match problem {
        Some(problem) => {
            cx.error_spanned_by(lit, problem);
            false
        }
        None => true,
    }
}

/// Wire names must survive the canonical signing string `a=1&b=2` unchanged
/// and be unique, or two different requests could sign alike.
pub(crate) fn fields(fields: &[Field], cx: &mut Ctxt) {
    for (index, field) in fields.iter().enumerate() {
        if let Some(cfg) = &field.cfg {
            cx.error_spanned_by(
                cfg,
                "a request field cannot be conditional: the parameter list is fixed when the macro runs; make the field an `Option` instead",
            );
        }
        let name = &field.wire.value;
        let corrupting =
            |c: &char| matches!(c, '=' | '&') || c.is_ascii_whitespace() || c.is_ascii_control();
        let problem = if name.is_empty() {
            Some("the wire name is empty".to_owned())
        } else if let Some(c) = name.chars().find(|c| !c.is_ascii()) {
            Some(format!("the wire name {name:?} must be ASCII; found {c:?}"))
        } else {
            name.chars().find(corrupting).map(|c| {
                format!(
                    "the wire name {name:?} must not contain {c:?}: `=`, `&`, whitespace and control characters would corrupt the signed string"
                )
            })
        };
        if let Some(problem) = problem {
            cx.error_at(field.wire.span, problem);
            continue;
        }
        if let Some(first) = fields[..index].iter().find(|f| f.wire.value == *name) {
            // Two fields of one name: rustc reports that itself (E0124).
            if !field.wire.renamed && !first.wire.renamed {
                continue;
            }
            cx.error_at(
                field.wire.span,
                format!(
                    "wire name \"{name}\" is already used by field `{}`; each parameter may be sent once",
                    first.member
                ),
            );
        }
    }
}
