use qfpay::qf_endpoint;

#[qf_endpoint(path = "/tool/v1/get_weixin_openid", method = "GET", sign_type = "sha1")]
pub struct Openid {
    pub code: String,
}

fn main() {}
