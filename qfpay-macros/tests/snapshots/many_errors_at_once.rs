pub struct Broken {
    one: String,
    two: String,
    three: String,
}
///Builds a [`Broken`]: call the setter of every required field, then `build()`. Made by [`Broken::builder`].
#[must_use = "a builder does nothing until `build()` is called"]
#[allow(non_camel_case_types)]
pub struct BrokenBuilder<
    __one = ::qfpay::__private_v0_1_0::Unset,
    __two = ::qfpay::__private_v0_1_0::Unset,
    __three = ::qfpay::__private_v0_1_0::Unset,
>(
    (
        ::core::option::Option<String>,
        ::core::option::Option<String>,
        ::core::option::Option<String>,
    ),
    ::core::marker::PhantomData<(__one, __two, __three)>,
);
impl Broken {
    ///Starts a [`Broken`]: set every required field (a forgotten one is a compile error naming it), any optional ones, then call `build()`.
    #[inline]
    pub fn builder() -> BrokenBuilder {
        BrokenBuilder {
            0: ::core::default::Default::default(),
            1: ::core::marker::PhantomData,
        }
    }
}
#[allow(non_camel_case_types)]
impl<__one, __two, __three> BrokenBuilder<__one, __two, __three> {
    ///Sets `one`.
    pub fn one(
        mut self,
        __qf_value: impl ::core::convert::Into<String>,
    ) -> BrokenBuilder<::qfpay::__private_v0_1_0::Set, __two, __three>
    where
        __one: ::qfpay::__private_v0_1_0::IsUnset,
    {
        self.0.0 = ::core::option::Option::Some(::core::convert::Into::into(__qf_value));
        BrokenBuilder {
            0: self.0,
            1: ::core::marker::PhantomData,
        }
    }
    ///Sets `two`.
    pub fn two(
        mut self,
        __qf_value: impl ::core::convert::Into<String>,
    ) -> BrokenBuilder<__one, ::qfpay::__private_v0_1_0::Set, __three>
    where
        __two: ::qfpay::__private_v0_1_0::IsUnset,
    {
        self.0.1 = ::core::option::Option::Some(::core::convert::Into::into(__qf_value));
        BrokenBuilder {
            0: self.0,
            1: ::core::marker::PhantomData,
        }
    }
    ///Sets `three`.
    pub fn three(
        mut self,
        __qf_value: impl ::core::convert::Into<String>,
    ) -> BrokenBuilder<__one, __two, ::qfpay::__private_v0_1_0::Set>
    where
        __three: ::qfpay::__private_v0_1_0::IsUnset,
    {
        self.0.2 = ::core::option::Option::Some(::core::convert::Into::into(__qf_value));
        BrokenBuilder {
            0: self.0,
            1: ::core::marker::PhantomData,
        }
    }
    ///Builds the [`Broken`]; there is no `build()` until every required field is set.
    pub fn build(self) -> Broken
    where
        __one: Broken_one_is_set,
        __two: Broken_two_is_set,
        __three: Broken_three_is_set,
    {
        let __qf_values = self.0;
        Broken {
            one: ::qfpay::__private_v0_1_0::take(__qf_values.0),
            two: ::qfpay::__private_v0_1_0::take(__qf_values.1),
            three: ::qfpay::__private_v0_1_0::take(__qf_values.2),
        }
    }
}
#[doc(hidden)]
#[allow(non_camel_case_types)]
#[diagnostic::on_unimplemented(
    message = "missing required field `one` (sent as `a=b`): call `.one(..)` before `.build()`",
    label = "`one` is not set"
)]
pub trait Broken_one_is_set {}
#[diagnostic::do_not_recommend]
impl Broken_one_is_set for ::qfpay::__private_v0_1_0::Set {}
#[doc(hidden)]
#[allow(non_camel_case_types)]
#[diagnostic::on_unimplemented(
    message = "missing required field `two`: call `.two(..)` before `.build()`",
    label = "`two` is not set"
)]
pub trait Broken_two_is_set {}
#[diagnostic::do_not_recommend]
impl Broken_two_is_set for ::qfpay::__private_v0_1_0::Set {}
#[doc(hidden)]
#[allow(non_camel_case_types)]
#[diagnostic::on_unimplemented(
    message = "missing required field `three` (sent as `two`): call `.three(..)` before `.build()`",
    label = "`three` is not set"
)]
pub trait Broken_three_is_set {}
#[diagnostic::do_not_recommend]
impl Broken_three_is_set for ::qfpay::__private_v0_1_0::Set {}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::WriteParams for Broken {
    const PARAM_NAMES: &'static [&'static ::core::primitive::str] = &[
        "a=b",
        "two",
        "two",
    ];
    #[inline]
    fn write_params<__S: ::qfpay::__private_v0_1_0::PairSink + ?::core::marker::Sized>(
        &self,
        __out: &mut __S,
    ) {
        <String as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.one,
            "a=b",
            __out,
        );
        <String as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.two,
            "two",
            __out,
        );
        <String as ::qfpay::__private_v0_1_0::ParamValue>::write_param(
            &self.three,
            "two",
            __out,
        );
    }
}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::Endpoint for Broken {
    type Response = ::qfpay::__private_v0_1_0::JsonResponse;
    #[inline]
    fn spec(&self) -> ::qfpay::__private_v0_1_0::EndpointSpec<'_> {
        <Self as ::qfpay::__private_v0_1_0::StaticEndpoint>::SPEC
    }
}
#[automatically_derived]
impl ::qfpay::__private_v0_1_0::StaticEndpoint for Broken {
    const SPEC: ::qfpay::__private_v0_1_0::EndpointSpec<'static> = ::qfpay::__private_v0_1_0::EndpointSpec::new(
        "/",
        ::qfpay::__private_v0_1_0::Method::Post,
    );
}
::core::compile_error! {
    "unknown key `methd` in `#[qf_endpoint(...)]`; did you mean `method`? (expected `path`, `method`, `response`, `mchid`, `idempotent`, `either_method`, `sign_type` or `builder`)"
}
::core::compile_error! {
    "`response` takes a type, e.g. `response = PaymentResponse`"
}
::core::compile_error! {
    "duplicate key `path`: it may appear only once"
}
::core::compile_error! {
    "`mchid` takes `true` or `false`: `mchid = false` stops the client from sending `mchid` to this endpoint"
}
::core::compile_error! {
    "the path must start with `/`; write \"/trade\""
}
::core::compile_error! {
    "unknown key `renam` in `#[qf(...)]`; did you mean `rename`? (expected `rename`, `default` or `fixed`)"
}
::core::compile_error! {
    "the wire name \"a=b\" must not contain '=': `=`, `&`, whitespace and control characters would corrupt the signed string"
}
::core::compile_error! {
    "wire name \"two\" is already used by field `two`; each parameter may be sent once"
}
