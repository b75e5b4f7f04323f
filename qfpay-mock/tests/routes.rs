//! The mock serves every endpoint of the SDK's catalogue with the rules of
//! its description in `qfpay::api::CATALOGUE` (method, `mchid`), and answers
//! each with a behaviour of its own.

mod common;

use common::*;

#[tokio::test]
async fn every_catalogue_endpoint_is_served_with_its_rules() {
    let server = server().await;
    let merchant = Caller::merchant(&server);
    let agent = Caller::agent(&server);
    let mut without_mchid = agent.clone();
    without_mchid.mchid = None;
    for entry in qfpay::api::CATALOGUE {
        let spec = entry.spec;
        let (path, method) = (spec.path, spec.method.as_str());
        let what = format!("{} ({method} {path})", entry.name);

        // Signed, no parameters: routed, verified and answered by the
        // path's own behaviour (a reply or a missing-parameter refusal).
        let p = merchant.params(&[]);
        let a = merchant
            .send(method, path, &p, Some(&merchant.sign(&p)), true)
            .await;
        assert_eq!(a.status, 200, "{what}");
        let j = a.json();
        assert!(
            ["0000", "1104"].contains(&j["respcd"].as_str().unwrap_or("")),
            "{what}: {j}"
        );

        // The mchid rule of the description, for an agent app.
        let a = if spec.sends_mchid {
            let p = without_mchid.params(&[]);
            without_mchid
                .send(method, path, &p, Some(&without_mchid.sign(&p)), true)
                .await
        } else {
            let p = agent.params(&[("mchid", MCHID)]);
            agent
                .send(method, path, &p, Some(&agent.sign(&p)), true)
                .await
        };
        let j = a.json();
        assert_eq!(j["respcd"], "1104", "{what}: {j}");
        assert!(s(&j, "resperr").contains("mchid"), "{what}: {j}");

        // A GET endpoint takes no POST.
        if spec.method == qfpay::Method::Get {
            let p = merchant.params(&[]);
            let a = merchant
                .send("POST", path, &p, Some(&merchant.sign(&p)), true)
                .await;
            assert_eq!(a.status, 405, "{what}");
        }
    }
}

#[tokio::test]
async fn the_control_index_lists_the_catalogue_and_the_extras() {
    let server = server().await;
    let text = reqwest::get(server.url("/__mock"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let index: serde_json::Value = serde_json::from_str(&text).unwrap();
    let listed: Vec<&str> = index["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for entry in qfpay::api::CATALOGUE {
        assert!(listed.contains(&entry.spec.path), "{}", entry.spec.path);
    }
    assert!(listed.contains(&"/trade/v1/payment_verify"));
    assert!(listed.contains(&"/tool/v1/get_weixin_oauth_code"));
    let extras = &index["extra_endpoints"];
    assert_eq!(extras["/trade/v1/payment_verify"], "legacy", "{extras}");
    assert!(extras.get("/trade/v1/payment").is_none(), "{extras}");
}
