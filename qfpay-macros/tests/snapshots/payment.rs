/// Creates a payment.
#[derive(Debug, Clone)]
pub struct Payment {
    pub txamt: Amount,
    pub txcurrcd: Currency,
    pub pay_type: PayType,
    pub out_trade_no: OutTradeNo,
    pub txdtm: TradeTime,
    /// Only for payment codes.
    pub auth_code: Option<String>,
    version: u8,
    pub udid: Udid,
    pub page: u32,
    pub product: Option<String>,
}
///Builds a [`Payment`]: call the setter of every required field, then `build()`. Made by [`Payment::builder`].
#[must_use = "a builder does nothing until `build()` is called"]
#[allow(non_camel_case_types)]
pub struct PaymentBuilder<
    __txamt = ::qfpay::__private_v0_1_0::Unset,
    __txcurrcd = ::qfpay::__private_v0_1_0::Unset,
    __pay_type = ::qfpay::__private_v0_1_0::Unset,
    __out_trade_no = ::qfpay::__private_v0_1_0::Unset,
    __txdtm = ::qfpay::__private_v0_1_0::Unset,
>(
    (
        ::core::option::Option<Amount>,
        ::core::option::Option<Currency>,
        ::core::option::Option<PayType>,
        ::core::option::Option<OutTradeNo>,
        ::core::option::Option<TradeTime>,
        Option<String>,
        ::core::option::Option<Udid>,
        ::core::option::Option<u32>,
        Option<String>,
    ),
    ::core::marker::PhantomData<
        (__txamt, __txcurrcd, __pay_type, __out_trade_no, __txdtm),
    >,
);
impl Payment {
    ///Starts a [`Payment`]: set every required field (a forgotten one is a compile error naming it), any optional ones, then call `build()`.
    #[inline]
    pub fn builder() -> PaymentBuilder {
        PaymentBuilder {
            0: ::core::default::Default::default(),
            1: ::core::marker::PhantomData,
        }
    }
}
#[allow(non_camel_case_types)]
impl<
    __txamt,
    __txcurrcd,
    __pay_type,
    __out_trade_no,
    __txdtm,
> PaymentBuilder<__txamt, __txcurrcd, __pay_type, __out_trade_no, __txdtm> {
    ///Sets `txamt`.
    pub fn txamt(
        mut self,
        __qf_value: impl ::core::convert::Into<Amount>,
    ) -> PaymentBuilder<
        ::qfpay::__private_v0_1_0::Set,
        __txcurrcd,
        __pay_type,
        __out_trade_no,
        __txdtm,
    >
    where
        __txamt: ::qfpay::__private_v0_1_0::IsUnset,
    {
        self.0.0 = ::core::option::Option::Some(::core::convert::Into::into(__qf_value));
        PaymentBuilder {
            0: self.0,
            1: ::core::marker::PhantomData,
        }
    }
    ///Sets `txcurrcd`.
    pub fn txcurrcd(
        mut self,
        __qf_value: impl ::core::convert::Into<Currency>,
    ) -> PaymentBuilder<
        __txamt,
        ::qfpay::__private_v0_1_0::Set,
        __pay_type,
        __out_trade_no,
        __txdtm,
    >
    where
        __txcurrcd: ::qfpay::__private_v0_1_0::IsUnset,
    {
        self.0.1 = ::core::option::Option::Some(::core::convert::Into::into(__qf_value));
        PaymentBuilder {
            0: self.0,
            1: ::core::marker::PhantomData,
        }
    }
    ///Sets `pay_type`.
    pub fn pay_type(
        mut self,
        __qf_value: impl ::core::convert::Into<PayType>,
    ) -> PaymentBuilder<
        __txamt,
        __txcurrcd,
        ::qfpay::__private_v0_1_0::Set,
        __out_trade_no,
        __txdtm,
    >
    where
        __pay_type: ::qfpay::__private_v0_1_0::IsUnset,
    {
        self.0.2 = ::core::option::Option::Some(::core::convert::Into::into(__qf_value));
        PaymentBuilder {
            0: self.0,
            1: ::core::marker::PhantomData,
        }
    }
    ///Sets `out_trade_no`.
    pub fn out_trade_no(
        mut self,
        __qf_value: impl ::core::convert::Into<OutTradeNo>,
    ) -> PaymentBuilder<
        __txamt,
        __txcurrcd,
        __pay_type,
        ::qfpay::__private_v0_1_0::Set,
        __txdtm,
    >
    where
        __out_trade_no: ::qfpay::__private_v0_1_0::IsUnset,
    {
        self.0.3 = ::core::option::Option::Some(::core::convert::Into::into(__qf_value));
        PaymentBuilder {
            0: self.0,
            1: ::core::marker::PhantomData,
        }
    }
    ///Sets `txdtm`.
    pub fn txdtm(
        mut self,
        __qf_value: impl ::core::convert::Into<TradeTime>,
    ) -> PaymentBuilder<
        __txamt,
        __txcurrcd,
        __pay_type,
        __out_trade_no,
        ::qfpay::__private_v0_1_0::Set,
    >
    where
        __txdtm: ::qfpay::__private_v0_1_0::IsUnset,
    {
        self.0.4 = ::core::option::Option::Some(::core::convert::Into::into(__qf_value));
        PaymentBuilder {
            0: self.0,
            1: ::core::marker::PhantomData,
        }
    }
    /// Only for payment codes.
    pub fn auth_code<__M>(
        mut self,
        __qf_value: impl ::qfpay::__private_v0_1_0::OptionArg<String, __M>,
    ) -> Self {
        self.0.5 = ::qfpay::__private_v0_1_0::OptionArg::into_option(__qf_value);
        self
    }
    ///Sets `udid`.
    pub fn udid<__M>(
        mut self,
        __qf_value: impl ::qfpay::__private_v0_1_0::OptionArg<Udid, __M>,
    ) -> Self {
        self.0.6 = ::qfpay::__private_v0_1_0::OptionArg::into_option(__qf_value);
        self
    }
    ///Sets `page`.
    pub fn page(
        mut self,
        __qf_value: impl ::core::convert::Into<::core::option::Option<u32>>,
    ) -> Self {
        self.0.7 = ::core::convert::Into::into(__qf_value);
        self
    }
    ///Sets `product`.
    pub fn product<__M>(
        mut self,
        __qf_value: impl ::qfpay::__private_v0_1_0::OptionArg<String, __M>,
    ) -> Self {
        self.0.8 = ::qfpay::__private_v0_1_0::OptionArg::into_option(__qf_value);
        self
    }
    ///Builds the [`Payment`]; there is no `build()` until every required field is set.
    pub fn build(self) -> Payment
    where
        __txamt: Payment_txamt_is_set,
        __txcurrcd: Payment_txcurrcd_is_set,
        __pay_type: Payment_pay_type_is_set,
        __out_trade_no: Payment_out_trade_no_is_set,
        __txdtm: Payment_txdtm_is_set,
    {
        let __qf_values = self.0;
        Payment {
            txamt: ::qfpay::__private_v0_1_0::take(__qf_values.0),
            txcurrcd: ::qfpay::__private_v0_1_0::take(__qf_values.1),
            pay_type: ::qfpay::__private_v0_1_0::take(__qf_values.2),
            out_trade_no: ::qfpay::__private_v0_1_0::take(__qf_values.3),
            txdtm: ::qfpay::__private_v0_1_0::take(__qf_values.4),
            auth_code: __qf_values.5,
            version: 1,
            udid: ::core::option::Option::unwrap_or_else(
                __qf_values.6,
                || Udid::new("pos"),
            ),
            page: ::core::option::Option::unwrap_or_default(__qf_values.7),
            product: __qf_values.8,
        }
    }
}
#[doc(hidden)]
#[allow(non_camel_case_types)]
#[diagnostic::on_unimplemented(
    message = "missing required field `txamt`: call `.txamt(..)` before `.build()`",
    label = "`txamt` is not set"
)]
pub trait Payment_txamt_is_set {}
#[diagnostic::do_not_recommend]
impl Payment_txamt_is_set for ::qfpay::__private_v0_1_0::Set {}
#[doc(hidden)]
#[allow(non_camel_case_types)]
#[diagnostic::on_unimplemented(
    message = "missing required field `txcurrcd`: call `.txcurrcd(..)` before `.build()`",
    label = "`txcurrcd` is not set"
)]
pub trait Payment_txcurrcd_is_set {}
#[diagnostic::do_not_recommend]
impl Payment_txcurrcd_is_set for ::qfpay::__private_v0_1_0::Set {}
#[doc(hidden)]
#[allow(non_camel_case_types)]
#[diagnostic::on_unimplemented(
    message = "missing required field `pay_type`: call `.pay_type(..)` before `.build()`",
    label = "`pay_type` is not set"
)]
pub trait Payment_pay_type_is_set {}
#[diagnostic::do_not_recommend]
impl Payment_pay_type_is_set for ::qfpay::__private_v0_1_0::Set {}
#[doc(hidden)]
#[allow(non_camel_case_types)]
#[diagnostic::on_unimplemented(
    message = "missing required field `out_trade_no`: call `.out_trade_no(..)` before `.build()`",
    label = "`out_trade_no` is not set"
)]
pub trait Payment_out_trade_no_is_set {}
#[diagnostic::do_not_recommend]
impl Payment_out_trade_no_is_set for ::qfpay::__private_v0_1_0::Set {}
#[doc(hidden)]
#[allow(non_camel_case_types)]
#[diagnostic::on_unimplemented(
    message = "missing required field `txdtm`: call `.txdtm(..)` before `.build()`",
    label = "`txdtm` is not set"
)]
pub trait Payment_txdtm_is_set {}
#[diagnostic::do_not_recommend]
impl Payment_txdtm_is_set for ::qfpay::__private_v0_1_0::Set {}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::WriteParams for Payment {
    const PARAM_NAMES: &'static [&'static ::core::primitive::str] = &[
        "auth_code",
        "goods_name",
        "out_trade_no",
        "page",
        "pay_type",
        "txamt",
        "txcurrcd",
        "txdtm",
        "udid",
        "version",
    ];
    #[inline]
    fn write_params<__S: ::qfpay::__private_v0_1_0::PairSink + ?::core::marker::Sized>(
        &self,
        __out: &mut __S,
    ) {
        <Option<
            String,
        > as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.auth_code,
            "auth_code",
            __out,
        );
        <Option<
            String,
        > as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.product,
            "goods_name",
            __out,
        );
        <OutTradeNo as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.out_trade_no,
            "out_trade_no",
            __out,
        );
        <u32 as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.page,
            "page",
            __out,
        );
        <PayType as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.pay_type,
            "pay_type",
            __out,
        );
        <Amount as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.txamt,
            "txamt",
            __out,
        );
        <Currency as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.txcurrcd,
            "txcurrcd",
            __out,
        );
        <TradeTime as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.txdtm,
            "txdtm",
            __out,
        );
        <Udid as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.udid,
            "udid",
            __out,
        );
        <u8 as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.version,
            "version",
            __out,
        );
    }
}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::Endpoint for Payment {
    type Response = PaymentResponse;
    #[inline]
    fn spec(&self) -> ::qfpay::__private_v0_1_0::EndpointSpec<'_> {
        <Self as ::qfpay::__private_v0_1_0::StaticEndpoint>::SPEC
    }
}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::StaticEndpoint for Payment {
    const SPEC: ::qfpay::__private_v0_1_0::EndpointSpec<'static> = ::qfpay::__private_v0_1_0::EndpointSpec::new(
        "/trade/v1/payment",
        ::qfpay::__private_v0_1_0::Method::Post,
    );
}
