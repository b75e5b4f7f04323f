//! `pay_type`: the payment type code selecting wallet and flow (API reference §8, §23.3).

use super::code_enum::code_enum;

code_enum! {
    /// The `pay_type` code (String(6)) of `/trade/v1/payment` and of query
    /// records and notifications (API reference §23.3; flows in §8).
    ///
    /// Variants are grouped by wallet. Codes of the current (2025) table come
    /// first in each group; codes that the reference lists as commented out of
    /// the current table (regional or retired) or seen only elsewhere say so in
    /// their documentation, and [`PayType::is_current`] tells them apart.
    /// Your credentials must be enabled for the chosen `pay_type` and currency.
    ///
    /// | wallet | codes |
    /// |---|---|
    /// | any (auto-detect) | `800008` |
    /// | Alipay (overseas) | `800101` `800108` `801101` `801107` `801110` `800107`; legacy `800151` `800152` |
    /// | Alipay HK | `801501` `801510` `801512` `801514` |
    /// | Alipay pre-authorisation | `801801` `801808` `801810` `801814`; example-only `801802` |
    /// | WeChat Pay | `800201` `800208` `800207` `800212` `800210` `800213` |
    /// | WeChat Pay HK (direct settlement) | `801008` `801010` |
    /// | PayMe (HK) | `805801` `805808` `805814` `805812`; older list `805810` |
    /// | UnionPay QuickPass | `800701` `800708` `800712` `800714`; retired `800710` |
    /// | FPS (HK) | `802001` |
    /// | Octopus (HK) | `803701` `803712` `803714`; ECR-only `803708` |
    /// | cards and Apple Pay | `802801` `802808` `806527` `806708` `806808`; legacy `802828` `805508` `805514` |
    /// | regional / retired wallets | LINE Pay, AirPay, NETSPay, Origami, PayNow, PromptPay, eWallet, VIA, Touch 'n Go, Razer, Dash, Boost, Maybank, GrabPay, TrueMoney, ThaiQR, GoPay |
    ///
    /// `801103`/`801104` (Alipay overseas online refund/query) appear in the
    /// reference only as internal business codes in an old `pay_tag`
    /// description, not as payment types, and are left to `Other`.
    pub enum PayType {
        // ---- any wallet ----
        /// Mode: CPM. Older tables omit PayMe (reference §27.1 #23).
        CpmAutoDetect = "800008" => "CPM auto-detect: WeChat, Alipay, UnionPay QuickPass, PayMe",

        // ---- Alipay (overseas) ----
        /// Mode: MPM.
        AlipayMpm = "800101" => "Alipay MPM in store (overseas merchants)",
        /// Mode: CPM.
        AlipayCpm = "800108" => "Alipay CPM (overseas & HK)",
        /// Mode: online web. Footnote `**`: amount must be > 1 HKD.
        AlipayWeb = "801101" => "Alipay online web (overseas)",
        /// Mode: WAP.
        AlipayWap = "801107" => "Alipay online WAP (overseas)",
        /// Mode: in-app.
        AlipayInApp = "801110" => "Alipay in-app (overseas)",
        /// Mode: JSAPI; requires `openid` (the Alipay `user_id`).
        AlipayServiceWindow = "800107" => "Alipay Service Window H5 (inside Alipay app)",
        /// Legacy overseas API only (reference §26).
        AlipayPreOrderPc = "800151" => "Alipay pre-order (PC), legacy overseas API",
        /// Legacy overseas API only (reference §26).
        AlipayWapLegacy = "800152" => "Alipay WAP, legacy overseas API",

        // ---- Alipay HK ----
        /// Mode: MPM.
        AlipayHkMpm = "801501" => "Alipay MPM (HK)",
        /// Mode: in-app.
        AlipayHkInApp = "801510" => "Alipay in-app (HK)",
        /// Mode: WAP.
        AlipayHkWap = "801512" => "Alipay online WAP (HK)",
        /// Mode: online web.
        AlipayHkWeb = "801514" => "Alipay online web (HK)",

        // ---- Alipay pre-authorisation (hidden page) ----
        /// Not in the current table. Labelled "CPM" against the `01` = MPM
        /// convention; the labels are unreliable (reference §27.1 #21).
        AlipayPreAuth801801 = "801801" => "Alipay pre-auth, labelled \"CPM\"",
        /// Not in the current table. Labelled "MPM" against the `08` = CPM
        /// convention; the labels are unreliable (reference §27.1 #21).
        AlipayPreAuth801808 = "801808" => "Alipay pre-auth, labelled \"MPM\"",
        /// Not in the current table.
        AlipayPreAuthInApp = "801810" => "Alipay pre-auth in-app",
        /// Not in the current table.
        AlipayPreAuthOnline = "801814" => "Alipay pre-auth online",
        /// Seen only in the Alipay pre-auth example request (which fails with `1297`).
        AlipayPreAuth801802 = "801802" => "Undocumented Alipay pre-auth code",

        // ---- WeChat Pay ----
        /// Mode: MPM; also the WeChat desktop web QR (response carries `qrcode`).
        WechatMpm = "800201" => "WeChat MPM (overseas & HK); also WeChat web QR",
        /// Mode: CPM.
        WechatCpm = "800208" => "WeChat CPM (overseas & HK)",
        /// Mode: JSAPI; requires `sub_openid`.
        WechatJsapi = "800207" => "WeChat JSAPI / Official Account (in WeChat)",
        /// Mode: H5; requires `extend_info` (scene info). The 2024 mkdocs table
        /// called it "WeChat JSAPI (CA merchants)" (reference §27.1 #22).
        WechatH5 = "800212" => "WeChat H5 (mobile browser)",
        /// Mode: in-app.
        WechatInApp = "800210" => "WeChat in-app (overseas & HK)",
        /// Mode: mini-program; requires `sub_openid`.
        WechatMiniProgram = "800213" => "WeChat mini-program (overseas & HK)",

        // ---- WeChat Pay HK ----
        /// Mode: CPM.
        WechatPayHkCpm = "801008" => "WeChat Pay HK CPM (direct settlement)",
        /// Mode: in-app.
        WechatPayHkInApp = "801010" => "WeChat Pay HK in-app (direct settlement)",

        // ---- PayMe (HK) ----
        /// Mode: MPM.
        PaymeMpm = "805801" => "PayMe MPM (HK)",
        /// Mode: CPM.
        PaymeCpm = "805808" => "PayMe CPM (HK)",
        /// Mode: online web.
        PaymeWeb = "805814" => "PayMe online web (HK)",
        /// Mode: WAP.
        PaymeWap = "805812" => "PayMe online WAP (HK)",
        /// Seen only in the 2024 mkdocs table.
        PaymeInApp = "805810" => "PayMe in-app (HK)",

        // ---- UnionPay QuickPass ----
        /// Mode: MPM.
        UnionPayMpm = "800701" => "UnionPay QuickPass MPM",
        /// Mode: CPM.
        UnionPayCpm = "800708" => "UnionPay QuickPass CPM",
        /// Mode: WAP.
        UnionPayWap = "800712" => "UnionPay WAP (HK)",
        /// Mode: online web.
        UnionPayWeb = "800714" => "UnionPay PC-web (HK)",
        /// Not in the current table.
        UnionPayInApp = "800710" => "UnionPay in-app (HK)",

        // ---- FPS (HK) ----
        /// Mode: MPM. Footnote `***`: no refunds.
        FpsMpm = "802001" => "FPS MPM (HK)",

        // ---- Octopus (HK) ----
        /// Mode: MPM.
        OctopusMpm = "803701" => "Octopus dynamic QR MPM (HK)",
        /// Mode: WAP.
        OctopusWap = "803712" => "Octopus WAP (HK)",
        /// Mode: online web.
        OctopusWeb = "803714" => "Octopus PC-web (HK)",
        /// Seen only in the ECR channel map (POS terminals).
        OctopusPos = "803708" => "Octopus on POS",

        // ---- cards and Apple Pay ----
        /// Mode: card. Offered through hosted checkout / Payment Element;
        /// the legacy direct card API (reference §9) also used it.
        VisaMastercardOnline = "802801" => "Visa/Mastercard online",
        /// Mode: card.
        VisaMastercardOffline = "802808" => "Visa/Mastercard offline (POS)",
        /// Mode: card.
        ApplePay = "806527" => "Apple Pay online",
        /// Mode: card.
        UnionPayCardOffline = "806708" => "UnionPay card offline",
        /// Mode: card.
        AmexCardOffline = "806808" => "American Express card offline",
        /// Legacy direct card API only (reference §9.1).
        CardDdc = "802828" => "Card DDC (device data collection) request",
        /// Not in the current table.
        FirstDataCardQuick = "805508" => "Credit card first_data quick mode (HK)",
        /// Not in the current table.
        FirstDataCardVerified = "805514" => "Credit card first_data security-verification mode (HK)",

        // ---- regional or retired wallets (not in the current table) ----
        /// Not in the current table.
        LinePayCpm = "801208" => "LINE Pay CPM (TH)",
        /// Not in the current table.
        LinePayOnline = "801301" => "LINE Pay online (TH)",
        /// Not in the current table.
        AirPayCpm = "801408" => "AirPay CPM (TH)",
        /// Not in the current table.
        AirPayOnline = "802201" => "AirPay online (TH)",
        /// Not in the current table.
        NetsPayMpm = "801701" => "NETSPay MPM",
        /// Not in the current table.
        OrigamiCpm = "801908" => "Origami CPM",
        /// Not in the current table. Footnote `***`: no refunds.
        PayNowMpm = "802301" => "PayNow MPM (SG)",
        /// Not in the current table. Footnote `***`: no refunds.
        PromptPayMpm = "802901" => "PromptPay MPM (TH)",
        /// Not in the current table.
        EwalletMpm = "803001" => "eWallet MPM",
        /// Not in the current table.
        EwalletCpm = "803008" => "eWallet CPM",
        /// Not in the current table.
        ViaMpm = "803101" => "VIA MPM (JP, HK)",
        /// Not in the current table.
        ViaCpm = "803108" => "VIA CPM (JP, HK)",
        /// Not in the current table.
        TouchNGoCpm = "803208" => "Touch 'n Go CPM (MY)",
        /// Not in the current table. Footnote `**`: minimum amount.
        TouchNGoOnline = "803214" => "Touch 'n Go online (MY)",
        /// Not in the current table.
        RazerMpm = "803301" => "Razer MPM (MY)",
        /// Not in the current table.
        RazerCpm = "803308" => "Razer CPM (MY)",
        /// Not in the current table. Footnote `**`: minimum amount.
        RazerOnline = "803314" => "Razer online (MY)",
        /// Not in the current table.
        DashMpm = "803801" => "Dash MPM (SG)",
        /// Not in the current table.
        DashCpm = "803808" => "Dash CPM (SG)",
        /// Not in the current table.
        BoostMpm = "804001" => "Boost MPM (MY)",
        /// Not in the current table.
        BoostCpm = "804008" => "Boost CPM (MY)",
        /// Not in the current table. Footnote `**`: minimum amount.
        BoostOnline = "804014" => "Boost online (MY)",
        /// Not in the current table.
        MaybankMpm = "804101" => "Maybank MPM (MY)",
        /// Not in the current table.
        MaybankCpm = "804108" => "Maybank CPM (MY)",
        /// Not in the current table. Footnote `**`: minimum amount.
        MaybankOnline = "804114" => "Maybank online (MY)",
        /// Not in the current table.
        GrabPayMpm = "804201" => "GrabPay MPM (MY, SG)",
        /// Not in the current table.
        GrabPayCpm = "804208" => "GrabPay CPM (MY)",
        /// Not in the current table. Footnotes `**` (MY) and `*` (SG: `return_url`
        /// mandatory, payment URL in `web_url`).
        GrabPayOnline = "804214" => "GrabPay online (MY, SG)",
        /// Not in the current table.
        TrueMoneyCpm = "805208" => "TrueMoney CPM (TH)",
        /// Not in the current table. Footnote `***`: no refunds.
        ThaiQrMpm = "805401" => "ThaiQR MPM (SG, MY)",
        /// Not in the current table. Footnote `***`: no refunds.
        GoPayMpm = "805601" => "GoPay MPM",
        /// Not in the current table. Footnote `***`: no refunds.
        GoPayWap = "805612" => "GoPay WAP",
    }
}

/// The integration flow a [`PayType`] belongs to (API reference §8, "Mode"
/// column of §23.3).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PayFamily {
    /// Consumer Presented Mode: the merchant scans the customer's code and
    /// sends it as `auth_code` (§8.5). May answer `1143`/`1145` → poll.
    Cpm,
    /// Merchant Presented Mode: the response carries a `qrcode` for the
    /// customer to scan (§8.4).
    Mpm,
    /// Online payment in a desktop browser: the response carries a `pay_url`
    /// to render as a QR code (§8.6).
    OnlineWeb,
    /// Online payment in a mobile browser: redirect to the returned `pay_url` (§8.6).
    Wap,
    /// Inside the wallet's own browser: WeChat JSAPI / Official Account
    /// (`sub_openid`) or Alipay Service Window (`openid`) (§8.7, §8.11).
    JsApi,
    /// WeChat mini-program (`sub_openid`) (§8.8).
    MiniProgram,
    /// Native app calling the wallet SDK with the returned `pay_params` (§8.10, §8.12).
    InApp,
    /// WeChat H5 in a mobile browser; requires `extend_info` (§8.9).
    H5,
    /// Alipay pre-authorisation (freeze, then deduct or unfreeze) (§8.14, §15.2).
    PreAuth,
    /// Card schemes and Apple Pay (§8.15, §9).
    Card,
    /// Not classified by the reference (unknown codes, POS-only codes).
    Other,
}

impl PayType {
    /// The flow this pay type belongs to, per the "Mode" column of the
    /// reference's table (§23.3) and the flow sections of §8.
    ///
    /// Codes outside the current table are classified by their description
    /// ("MPM", "CPM", "online", "WAP", "in-app"), which mostly agrees with the
    /// naming rule the reference infers (`xxxx01` MPM, `xxxx08` CPM, `xxxx10`
    /// in-app, `xxxx12` WAP, `xxxx14` web). The rule has documented exceptions:
    /// the online codes `801101`, `801301` and `802201` end in `01`, the Alipay
    /// WAP code `801107` ends in `07`, `800212` (WeChat H5) ends in `12`, and
    /// the pre-authorisation labels contradict it
    /// (§27.1 #21). Unknown codes and the POS-only `803708` are therefore
    /// [`PayFamily::Other`] rather than guessed from their digits.
    pub fn family(&self) -> PayFamily {
        match self {
            Self::CpmAutoDetect
            | Self::AlipayCpm
            | Self::WechatCpm
            | Self::WechatPayHkCpm
            | Self::PaymeCpm
            | Self::UnionPayCpm
            | Self::LinePayCpm
            | Self::AirPayCpm
            | Self::OrigamiCpm
            | Self::EwalletCpm
            | Self::ViaCpm
            | Self::TouchNGoCpm
            | Self::RazerCpm
            | Self::DashCpm
            | Self::BoostCpm
            | Self::MaybankCpm
            | Self::GrabPayCpm
            | Self::TrueMoneyCpm => PayFamily::Cpm,

            Self::AlipayMpm
            | Self::AlipayHkMpm
            | Self::WechatMpm
            | Self::PaymeMpm
            | Self::UnionPayMpm
            | Self::FpsMpm
            | Self::OctopusMpm
            | Self::NetsPayMpm
            | Self::PayNowMpm
            | Self::PromptPayMpm
            | Self::EwalletMpm
            | Self::ViaMpm
            | Self::RazerMpm
            | Self::DashMpm
            | Self::BoostMpm
            | Self::MaybankMpm
            | Self::GrabPayMpm
            | Self::ThaiQrMpm
            | Self::GoPayMpm => PayFamily::Mpm,

            Self::AlipayWeb
            | Self::AlipayPreOrderPc
            | Self::AlipayHkWeb
            | Self::PaymeWeb
            | Self::UnionPayWeb
            | Self::OctopusWeb
            | Self::LinePayOnline
            | Self::AirPayOnline
            | Self::TouchNGoOnline
            | Self::RazerOnline
            | Self::BoostOnline
            | Self::MaybankOnline
            | Self::GrabPayOnline => PayFamily::OnlineWeb,

            Self::AlipayWap
            | Self::AlipayWapLegacy
            | Self::AlipayHkWap
            | Self::PaymeWap
            | Self::UnionPayWap
            | Self::OctopusWap
            | Self::GoPayWap => PayFamily::Wap,

            Self::AlipayServiceWindow | Self::WechatJsapi => PayFamily::JsApi,

            Self::WechatMiniProgram => PayFamily::MiniProgram,

            Self::AlipayInApp
            | Self::AlipayHkInApp
            | Self::WechatInApp
            | Self::WechatPayHkInApp
            | Self::PaymeInApp
            | Self::UnionPayInApp => PayFamily::InApp,

            Self::WechatH5 => PayFamily::H5,

            Self::AlipayPreAuth801801
            | Self::AlipayPreAuth801808
            | Self::AlipayPreAuthInApp
            | Self::AlipayPreAuthOnline
            | Self::AlipayPreAuth801802 => PayFamily::PreAuth,

            Self::VisaMastercardOnline
            | Self::VisaMastercardOffline
            | Self::ApplePay
            | Self::UnionPayCardOffline
            | Self::AmexCardOffline
            | Self::CardDdc
            | Self::FirstDataCardQuick
            | Self::FirstDataCardVerified => PayFamily::Card,

            Self::OctopusPos | Self::Other(_) => PayFamily::Other,
        }
    }

    /// `true` when `auth_code` (the code scanned from the customer's wallet)
    /// is mandatory: every CPM pay type (reference §8.1, §8.5, §27.3 #22).
    ///
    /// The Alipay pre-authorisation codes accept `auth_code` optionally (code-scan
    /// flow) and are not included.
    pub fn requires_auth_code(&self) -> bool {
        self.family() == PayFamily::Cpm
    }

    /// `true` when `sub_openid` (WeChat openid) is mandatory: `800207` and
    /// `800213` (reference §8.1, §27.3 #22).
    pub fn requires_sub_openid(&self) -> bool {
        matches!(self, Self::WechatJsapi | Self::WechatMiniProgram)
    }

    /// `true` when `openid` (the Alipay `user_id`) is mandatory: `800107`
    /// (reference §8.1, §8.11).
    pub fn requires_openid(&self) -> bool {
        matches!(self, Self::AlipayServiceWindow)
    }

    /// `true` when `extend_info` is mandatory: `800212` WeChat H5, which needs
    /// the scene info and the payer's IP (reference §8.9). (The removed legacy
    /// direct card API also required it for `802801`; not reflected here.)
    pub fn requires_extend_info(&self) -> bool {
        matches!(self, Self::WechatH5)
    }

    /// `true` for the pay types the reference lists as accepting `expired_time`
    /// (QR/order validity in minutes): `800201`, `800101`, `801512`, `801501`,
    /// `801107`, `801101`, `801010`, `801510` (reference §8.1).
    pub fn supports_expired_time(&self) -> bool {
        matches!(
            self,
            Self::WechatMpm
                | Self::AlipayMpm
                | Self::AlipayHkWap
                | Self::AlipayHkMpm
                | Self::AlipayWap
                | Self::AlipayWeb
                | Self::WechatPayHkInApp
                | Self::AlipayHkInApp
        )
    }

    /// `true` for the pay types the reference marks `***` (no refunds): FPS
    /// `802001`, PayNow `802301`, PromptPay `802901`, ThaiQR `805401`, GoPay
    /// `805601`/`805612` (reference §8.16, §23.3).
    ///
    /// `false` does not promise that a refund will be accepted: partial refunds
    /// depend on currency and channel (`1270`/`1271`), and the ECR page says
    /// Octopus cannot be refunded there (§21).
    pub fn is_non_refundable(&self) -> bool {
        matches!(
            self,
            Self::FpsMpm
                | Self::PayNowMpm
                | Self::PromptPayMpm
                | Self::ThaiQrMpm
                | Self::GoPayMpm
                | Self::GoPayWap
        )
    }

    /// `true` for the 36 codes of the current (2025) table of the reference
    /// (§23.3); `false` for codes commented out of it (regional or retired),
    /// codes seen only elsewhere, and unknown codes.
    pub fn is_current(&self) -> bool {
        matches!(
            self,
            Self::CpmAutoDetect
                | Self::AlipayMpm
                | Self::AlipayCpm
                | Self::AlipayWeb
                | Self::AlipayWap
                | Self::AlipayInApp
                | Self::AlipayServiceWindow
                | Self::AlipayHkMpm
                | Self::AlipayHkInApp
                | Self::AlipayHkWap
                | Self::AlipayHkWeb
                | Self::WechatMpm
                | Self::WechatCpm
                | Self::WechatJsapi
                | Self::WechatH5
                | Self::WechatInApp
                | Self::WechatMiniProgram
                | Self::WechatPayHkCpm
                | Self::WechatPayHkInApp
                | Self::PaymeMpm
                | Self::PaymeCpm
                | Self::PaymeWeb
                | Self::PaymeWap
                | Self::UnionPayMpm
                | Self::UnionPayCpm
                | Self::UnionPayWap
                | Self::UnionPayWeb
                | Self::FpsMpm
                | Self::OctopusMpm
                | Self::OctopusWap
                | Self::OctopusWeb
                | Self::VisaMastercardOnline
                | Self::VisaMastercardOffline
                | Self::ApplePay
                | Self::UnionPayCardOffline
                | Self::AmexCardOffline
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{PayFamily, PayType};
    use crate::types::code_enum::test_support::assert_code_table;

    #[test]
    fn table_round_trips() {
        assert_code_table(
            PayType::known(),
            PayType::Other,
            PayType::as_str,
            PayType::from_integer,
        );
    }

    #[test]
    fn counts() {
        assert_eq!(PayType::known().len(), 81);
        assert_eq!(
            PayType::known().iter().filter(|p| p.is_current()).count(),
            36
        );
        assert!(PayType::known().iter().all(|p| p.as_str().len() == 6));
    }

    /// The families agree with the reference's naming rule except for the
    /// documented exceptions.
    #[test]
    fn families_follow_the_naming_rule() {
        let exceptions = ["801101", "801301", "802201", "801107", "800212"];
        for p in PayType::known() {
            let family = p.family();
            if matches!(
                family,
                PayFamily::PreAuth | PayFamily::Card | PayFamily::Other
            ) {
                continue;
            }
            if exceptions.contains(&p.as_str()) {
                assert_ne!(family, PayFamily::Mpm, "{p}");
                continue;
            }
            let expected = match &p.as_str()[4..] {
                "01" => PayFamily::Mpm,
                "08" => PayFamily::Cpm,
                "10" => PayFamily::InApp,
                "12" => PayFamily::Wap,
                "14" => PayFamily::OnlineWeb,
                "07" => PayFamily::JsApi,
                "13" => PayFamily::MiniProgram,
                _ => continue,
            };
            assert_eq!(family, expected, "{p}");
        }
        // Documented exceptions to the rule.
        assert_eq!(PayType::WechatH5.family(), PayFamily::H5);
        assert_eq!(PayType::AlipayPreOrderPc.family(), PayFamily::OnlineWeb);
        assert_eq!(PayType::AlipayWapLegacy.family(), PayFamily::Wap);
        assert_eq!(PayType::from_code("999901").family(), PayFamily::Other);
    }

    #[test]
    fn requirements() {
        assert!(PayType::from_code("800208").requires_auth_code());
        assert!(PayType::from_code("800008").requires_auth_code());
        assert!(!PayType::from_code("800201").requires_auth_code());
        assert!(!PayType::AlipayPreAuth801801.requires_auth_code());
        assert!(!PayType::Other("800308".into()).requires_auth_code());
        assert!(PayType::WechatJsapi.requires_sub_openid());
        assert!(PayType::WechatMiniProgram.requires_sub_openid());
        assert!(PayType::AlipayServiceWindow.requires_openid());
        assert!(PayType::WechatH5.requires_extend_info());
        assert_eq!(
            PayType::known()
                .iter()
                .filter(|p| p.supports_expired_time())
                .count(),
            8
        );
        assert!(PayType::FpsMpm.is_non_refundable());
        assert!(!PayType::WechatMpm.is_non_refundable());
    }

    #[test]
    fn serde_string_integer_and_display() {
        let p: PayType = serde_json::from_str("\"805801\"").expect("string");
        assert_eq!(p, PayType::PaymeMpm);
        let p: PayType = serde_json::from_str("800201").expect("integer");
        assert_eq!(p, PayType::WechatMpm);
        let p: PayType = serde_json::from_str("801103").expect("integer");
        assert_eq!(p, PayType::Other("801103".into()));
        assert_eq!(PayType::ApplePay.to_string(), "806527");
    }
}
