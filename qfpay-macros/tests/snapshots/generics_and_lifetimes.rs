pub struct Close<'a, T: Clone, const N: usize>
where
    T: Default,
{
    pub syssn: &'a str,
    pub extra: Option<T>,
    pub fixed: [u8; N],
}
///Builds a [`Close`]: call the setter of every required field, then `build()`. Made by [`Close::builder`].
#[must_use = "a builder does nothing until `build()` is called"]
#[allow(non_camel_case_types)]
pub struct CloseBuilder<
    'a,
    T: Clone,
    const N: usize,
    __syssn = ::qfpay::__private_v0_1_0::Unset,
    __fixed = ::qfpay::__private_v0_1_0::Unset,
>(
    (::core::option::Option<&'a str>, Option<T>, ::core::option::Option<[u8; N]>),
    ::core::marker::PhantomData<(__syssn, __fixed, fn() -> Close<'a, T, N>)>,
)
where
    T: Default;
impl<'a, T: Clone, const N: usize> Close<'a, T, N>
where
    T: Default,
{
    ///Starts a [`Close`]: set every required field (a forgotten one is a compile error naming it), any optional ones, then call `build()`.
    #[inline]
    pub fn builder() -> CloseBuilder<'a, T, N> {
        CloseBuilder {
            0: ::core::default::Default::default(),
            1: ::core::marker::PhantomData,
        }
    }
}
#[allow(non_camel_case_types)]
impl<
    'a,
    T: Clone,
    const N: usize,
    __syssn,
    __fixed,
> CloseBuilder<'a, T, N, __syssn, __fixed>
where
    T: Default,
{
    ///Sets `syssn`.
    pub fn syssn(
        mut self,
        __qf_value: &'a str,
    ) -> CloseBuilder<'a, T, N, ::qfpay::__private_v0_1_0::Set, __fixed>
    where
        __syssn: ::qfpay::__private_v0_1_0::IsUnset,
    {
        self.0.0 = ::core::option::Option::Some(__qf_value);
        CloseBuilder {
            0: self.0,
            1: ::core::marker::PhantomData,
        }
    }
    ///Sets `extra`.
    pub fn extra(
        mut self,
        __qf_value: impl ::core::convert::Into<::core::option::Option<T>>,
    ) -> Self {
        self.0.1 = ::core::convert::Into::into(__qf_value);
        self
    }
    ///Sets `fixed`.
    pub fn fixed(
        mut self,
        __qf_value: impl ::core::convert::Into<[u8; N]>,
    ) -> CloseBuilder<'a, T, N, __syssn, ::qfpay::__private_v0_1_0::Set>
    where
        __fixed: ::qfpay::__private_v0_1_0::IsUnset,
    {
        self.0.2 = ::core::option::Option::Some(::core::convert::Into::into(__qf_value));
        CloseBuilder {
            0: self.0,
            1: ::core::marker::PhantomData,
        }
    }
    ///Builds the [`Close`]; there is no `build()` until every required field is set.
    pub fn build(self) -> Close<'a, T, N>
    where
        __syssn: Close_syssn_is_set,
        __fixed: Close_fixed_is_set,
    {
        let __qf_values = self.0;
        Close {
            syssn: ::qfpay::__private_v0_1_0::take(__qf_values.0),
            extra: __qf_values.1,
            fixed: ::qfpay::__private_v0_1_0::take(__qf_values.2),
        }
    }
}
#[doc(hidden)]
#[allow(non_camel_case_types)]
#[diagnostic::on_unimplemented(
    message = "missing required field `syssn`: call `.syssn(..)` before `.build()`",
    label = "`syssn` is not set"
)]
pub trait Close_syssn_is_set {}
#[diagnostic::do_not_recommend]
impl Close_syssn_is_set for ::qfpay::__private_v0_1_0::Set {}
#[doc(hidden)]
#[allow(non_camel_case_types)]
#[diagnostic::on_unimplemented(
    message = "missing required field `fixed`: call `.fixed(..)` before `.build()`",
    label = "`fixed` is not set"
)]
pub trait Close_fixed_is_set {}
#[diagnostic::do_not_recommend]
impl Close_fixed_is_set for ::qfpay::__private_v0_1_0::Set {}
#[automatically_derived]
impl<'a, T: Clone, const N: usize> ::qfpay::__private_v0_1_0::WriteParams
for Close<'a, T, N>
where
    T: Default,
    Option<T>: ::qfpay::__private_v0_1_0::ParamValue,
{
    const PARAM_NAMES: &'static [&'static ::core::primitive::str] = &[
        "extra",
        "fixed",
        "syssn",
    ];
    #[inline]
    fn write_params<__S: ::qfpay::__private_v0_1_0::PairSink + ?::core::marker::Sized>(
        &self,
        __out: &mut __S,
    ) {
        <Option<
            T,
        > as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.extra,
            "extra",
            __out,
        );
        <[u8; N] as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.fixed,
            "fixed",
            __out,
        );
        <&'a str as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.syssn,
            "syssn",
            __out,
        );
    }
}
#[automatically_derived]
impl<'a, T: Clone, const N: usize> ::qfpay::__private_v0_1_0::Endpoint
for Close<'a, T, N>
where
    T: Default,
    Option<T>: ::qfpay::__private_v0_1_0::ParamValue,
{
    type Response = ::qfpay::__private_v0_1_0::JsonResponse;
    #[inline]
    fn spec(&self) -> ::qfpay::__private_v0_1_0::EndpointSpec<'_> {
        <Self as ::qfpay::__private_v0_1_0::StaticEndpoint>::SPEC
    }
}
#[automatically_derived]
impl<'a, T: Clone, const N: usize> ::qfpay::__private_v0_1_0::StaticEndpoint
for Close<'a, T, N>
where
    T: Default,
    Option<T>: ::qfpay::__private_v0_1_0::ParamValue,
{
    const SPEC: ::qfpay::__private_v0_1_0::EndpointSpec<'static> = ::qfpay::__private_v0_1_0::EndpointSpec::new(
        "/trade/v1/close",
        ::qfpay::__private_v0_1_0::Method::Post,
    );
}
