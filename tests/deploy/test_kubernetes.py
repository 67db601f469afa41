"""The Kubernetes manifests: two replicas, probes on real routes, measured resources, no secrets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.server import create_app
from bot.services import Services
from tests.deploy.conftest import ROOT, parse_dockerfile


@pytest.fixture(scope="module")
def pod(k8s) -> dict:
    return k8s["Deployment"]["spec"]["template"]["spec"]


@pytest.fixture(scope="module")
def container(pod) -> dict:
    (only,) = pod["containers"]
    return only


def test_there_are_a_deployment_service_secret_and_configmap(k8s):
    assert {"Deployment", "Service", "Secret", "ConfigMap"} <= set(k8s)


def test_deployment_runs_two_replicas_of_scrbot_serve(k8s, container):
    assert k8s["Deployment"]["spec"]["replicas"] == 2
    assert container["command"] == ["scrbot", "serve"]


def test_probes_ask_readyz_and_healthz_on_the_container_port(container, catalogue, conversation):
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    port_names = {p["name"]: p["containerPort"] for p in container["ports"]}
    for probe in ("readinessProbe", "livenessProbe"):
        port = container[probe]["httpGet"]["port"]
        assert port in port_names or port in port_names.values()
    assert 3000 in port_names.values()
    app = create_app(
        Services(Settings(), catalogue, conversation),
        slack=False,
        manage_store=False,
        prompts=False,
    )
    routes = {route.resource.canonical for route in app.router.routes()}
    assert {"/readyz", "/healthz", "/metrics"} <= routes


def test_resources_are_requested_and_limited_with_the_measurement_beside_them(container):
    resources = container["resources"]
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(resources[kind])
    request = int(re.fullmatch(r"(\d+)Mi", resources["requests"]["memory"])[1])
    limit = int(re.fullmatch(r"(\d+)Mi", resources["limits"]["memory"])[1])
    measured = re.findall(r"(\d+) MiB RSS", (ROOT / "deploy/k8s/deployment.yaml").read_text())
    assert measured, "the measured memory is written next to the numbers"
    assert max(int(m) for m in measured) < request < limit


def test_termination_grace_covers_the_apps_own_shutdown(pod, container):
    grace = Settings().shutdown_grace_seconds
    pre_stop = int(container["lifecycle"]["preStop"]["exec"]["command"][-1])
    # in-flight requests, then the weekly prompts' own grace, then a little to close up
    assert pre_stop + 2 * grace < pod["terminationGracePeriodSeconds"] <= pre_stop + 2 * grace + 15


def test_pod_runs_as_the_images_non_root_user(pod, container):
    image_user = parse_dockerfile((ROOT / "Dockerfile").read_text())[-1].all("USER")[-1]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert str(pod["securityContext"]["runAsUser"]) == image_user.split(":")[0]
    assert container["securityContext"]["allowPrivilegeEscalation"] is False


def test_secret_template_holds_placeholders_only(k8s, container):
    secret = k8s["Secret"]
    values = {**secret.get("stringData", {}), **secret.get("data", {})}
    assert {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SCRBOT_DATABASE_URL"} <= set(values)
    for name, value in values.items():
        assert value == "REPLACE_ME", f"{name} must stay a placeholder in the repository"
    assert {"secretRef": {"name": secret["metadata"]["name"]}} in container["envFrom"]


def test_configmap_is_a_valid_organisation_config_mounted_at_scrbot_config(k8s, pod, container, tmp_path: Path):
    configmap = k8s["ConfigMap"]
    (filename,) = configmap["data"]
    path = tmp_path / filename
    path.write_text(configmap["data"][filename])
    settings = load_settings({"SCRBOT_CONFIG": str(path)})
    assert settings.urgent_contacts["front_door_phone"]

    env = {item["name"]: item.get("value") for item in container["env"]}
    config_path = Path(env["SCRBOT_CONFIG"])
    assert config_path.name == filename
    volume = next(v for v in pod["volumes"] if v.get("configMap", {}).get("name") == configmap["metadata"]["name"])
    mount = next(m for m in container["volumeMounts"] if m["name"] == volume["name"])
    assert Path(mount["mountPath"]) == config_path.parent


def test_service_sends_traffic_to_the_pods_http_port(k8s, container):
    service = k8s["Service"]["spec"]
    labels = k8s["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert service["selector"].items() <= labels.items()
    assert service["ports"][0]["targetPort"] in {p["name"] for p in container["ports"]}
