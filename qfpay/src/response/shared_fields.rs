//! The reply fields that mean the same wherever QFPay sends them — the
//! transaction fields a payment, refund, reversal, capture, query record and
//! notification echo, the result fields of the recurring APIs — each stated
//! once: its doc, its Rust type and how it is decoded. A struct declared with
//! [`qf_object!`](super::qf_object) names the ones it has in a
//! `shared { … }` group, so one wire field has one Rust type everywhere.

/// Appends the named fields' declarations, in the order named, to the
/// fields `qf_object!` has read so far, then hands back to it. One arm a
/// field (its kind, name, type and doc); the kinds say how each is decoded.
macro_rules! shared_fields {
    // Every name done: back to `qf_object!`.
    ($h:tt $d:tt [] $($r:tt)*) => {
        $crate::response::qf_object!(@fields $h $d $($r)*);
    };

    // The kinds. `opt T`: an `Option<T>`, `None` when absent or `null`.
    (@def $h:tt $d:tt $n:tt [opt $field:ident $ty:ident $doc:literal] $($r:tt)*) => {
        $crate::response::shared_fields!(@add $h $d $n [[
            #[doc = $doc]
            #[serde(default)]
        ] $field [::core::option::Option<$crate::types::$ty>]] $($r)*);
    };
    // `time`: an optional `TradeTime`, `None` when absent or unreadable.
    (@def $h:tt $d:tt $n:tt [time $field:ident $doc:literal] $($r:tt)*) => {
        $crate::response::shared_fields!(@add $h $d $n [[
            #[doc = $doc]
            #[serde(default, deserialize_with = "crate::types::de::opt_trade_time")]
        ] $field [::core::option::Option<$crate::types::TradeTime>]] $($r)*);
    };
    // `text`: a `String`, empty when absent.
    (@def $h:tt $d:tt $n:tt [text $field:ident $doc:literal] $($r:tt)*) => {
        $crate::response::shared_fields!(@add $h $d $n [[
            #[doc = $doc]
            #[serde(default, deserialize_with = "crate::types::de::text")]
        ] $field [::std::string::String]] $($r)*);
    };
    // `code`: a `RespCode`, an empty `Other` code when absent.
    (@def $h:tt $d:tt $n:tt [code $field:ident $doc:literal] $($r:tt)*) => {
        $crate::response::shared_fields!(@add $h $d $n [[
            #[doc = $doc]
            #[serde(default = "crate::types::de::missing_code")]
        ] $field [$crate::types::RespCode]] $($r)*);
    };
    // `rows "wireName" "alias"`: a count sent under a camel-case name (the
    // snake-case one is read too), a number or a string on the wire.
    (@def $h:tt $d:tt $n:tt [rows $field:ident $wire:literal $alias:literal $doc:literal]
        $($r:tt)*
    ) => {
        $crate::response::shared_fields!(@add $h $d $n [[
            #[doc = $doc]
            #[serde(
                default,
                rename = $wire,
                alias = $alias,
                deserialize_with = "crate::types::de::opt_u64_lenient"
            )]
        ] $field [::core::option::Option<u64>]] $($r)*);
    };
    // `[[attributes] name [type]]`: appended to what `qf_object!` has read.
    (@add $h:tt [$($done:tt)*] $n:tt [$attrs:tt $field:ident $ty:tt] $($r:tt)*) => {
        $crate::response::shared_fields!($h [$($done)* {$attrs $field $ty}] $n $($r)*);
    };

    // The transaction.
    ($h:tt $d:tt [syssn $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [opt syssn Syssn
            " QFPay transaction number (of a refund, reversal or capture: its own)."] $($r)*);
    };
    ($h:tt $d:tt [orig_syssn $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [opt orig_syssn Syssn
            " The original transaction's number (refunded, reversed or pre-authorised)."] $($r)*);
    };
    ($h:tt $d:tt [out_trade_no $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [opt out_trade_no OutTradeNo
            " Merchant order number (of a refund: the refund's own)."] $($r)*);
    };
    ($h:tt $d:tt [pay_type $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [opt pay_type PayType
            " Pay type."] $($r)*);
    };
    ($h:tt $d:tt [txamt $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [opt txamt Amount
            " Amount in minor units (a string or a number on the wire)."] $($r)*);
    };
    ($h:tt $d:tt [txcurrcd $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [opt txcurrcd Currency
            " Currency."] $($r)*);
    };
    ($h:tt $d:tt [surcharge_fee $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [opt surcharge_fee Amount
            " Surcharge fee, when present (a string or a number on the wire)."] $($r)*);
    };

    // Times: `None` when absent or not `YYYY-MM-DD hh:mm:ss` (never an error).
    ($h:tt $d:tt [txdtm $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [time txdtm
            " The merchant's request time, echoed; `None` when absent or unreadable."] $($r)*);
    };
    ($h:tt $d:tt [sysdtm $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [time sysdtm
            " System time (settlement cut-off), HK time; `None` if absent or unreadable."] $($r)*);
    };
    ($h:tt $d:tt [paydtm $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [time paydtm
            " Payment time; `None` when absent or unreadable."] $($r)*);
    };
    ($h:tt $d:tt [intent_expiry $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [time intent_expiry
            " When the intent expires; `None` when absent or unreadable."] $($r)*);
    };

    // Text, empty when absent (a number is kept as its exact text).
    ($h:tt $d:tt [chnlsn $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text chnlsn
            " Wallet / channel transaction number (often empty)."] $($r)*);
    };
    ($h:tt $d:tt [chnlsn2 $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text chnlsn2
            " Additional channel number."] $($r)*);
    };
    ($h:tt $d:tt [cardcd $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text cardcd
            " Card / wallet account number, masked (often empty)."] $($r)*);
    };
    ($h:tt $d:tt [udid $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text udid
            " Device id (`qiantai2` when the request sent none)."] $($r)*);
    };
    ($h:tt $d:tt [surcharge_rate $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text surcharge_rate
            " Surcharge rate, when present, as text."] $($r)*);
    };
    ($h:tt $d:tt [cash_fee $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text cash_fee
            " Amount the payer actually paid (after discounts), as text."] $($r)*);
    };
    ($h:tt $d:tt [cash_fee_type $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text cash_fee_type
            " Currency of `cash_fee` (e.g. `CNY`)."] $($r)*);
    };
    ($h:tt $d:tt [cash_refund_fee $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text cash_refund_fee
            " Amount actually refunded, as text."] $($r)*);
    };
    ($h:tt $d:tt [cash_refund_fee_type $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text cash_refund_fee_type
            " Currency of `cash_refund_fee`."] $($r)*);
    };
    ($h:tt $d:tt [goods_name $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text goods_name
            " Goods name."] $($r)*);
    };
    ($h:tt $d:tt [goods_info $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text goods_info
            " Goods information."] $($r)*);
    };
    ($h:tt $d:tt [exchange_rate $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text exchange_rate
            " Applied exchange rate, as text."] $($r)*);
    };
    ($h:tt $d:tt [userid $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text userid
            " QFPay store / user id (a string or a number on the wire)."] $($r)*);
    };
    ($h:tt $d:tt [respmsg $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text respmsg
            " Result message."] $($r)*);
    };
    ($h:tt $d:tt [customer_id $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text customer_id
            " The customer id (`cust_…`)."] $($r)*);
    };
    ($h:tt $d:tt [product_id $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text product_id
            " The product id (`prod_…`)."] $($r)*);
    };
    ($h:tt $d:tt [subscription_id $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text subscription_id
            " The subscription id (`sub_…`)."] $($r)*);
    };
    ($h:tt $d:tt [name $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [text name
            " Name."] $($r)*);
    };

    // A result code that never makes the whole body an error (a notification's own, a record's).
    ($h:tt $d:tt [respcd $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [code respcd
            " Result code, `0000` for success (an empty `Other` code when absent)."] $($r)*);
    };

    // The result of a recurring-API write (`data` of create / update / delete).
    ($h:tt $d:tt [row_affected $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [rows row_affected
            "rowAffected" "row_affected" " Rows updated (`rowAffected`, update only)."] $($r)*);
    };
    ($h:tt $d:tt [row_deleted $($n:ident)*] $($r:tt)*) => {
        $crate::response::shared_fields!(@def $h $d [$($n)*] [rows row_deleted
            "rowDeleted" "row_deleted" " Rows deleted (`rowDeleted`, delete only)."] $($r)*);
    };
}

pub(crate) use shared_fields;
