#!/usr/bin/env python3
"""Smoke test of Debian's python3-kubernetes client against a kos cluster.

Usage: smoke.py KUBECONFIG [CONTEXT]

Lists namespaces, creates/reads/patches/deletes a configmap and watches configmaps with
a timeout. Prints one `ok <step>` line per step; any failure exits non-zero with the
client's error on stderr.
"""
import sys
import uuid

from kubernetes import client, config, watch


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    context = argv[2] if len(argv) > 2 else None
    api_client = config.new_client_from_config(config_file=argv[1], context=context)
    core = client.CoreV1Api(api_client)
    namespace = "default"
    name = "py-smoke-" + uuid.uuid4().hex[:8]

    names = [ns.metadata.name for ns in core.list_namespace().items]
    check("default" in names and "kube-system" in names, "namespaces listed: %r" % names)
    print("ok list namespaces")

    body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name, labels={"smoke": "python"}), data={"a": "1"})
    created = core.create_namespaced_config_map(namespace, body)
    check(created.metadata.name == name and created.metadata.uid, "create answered %r" % created.metadata)
    print("ok create configmap")

    read = core.read_namespaced_config_map(name, namespace)
    check(read.data == {"a": "1"}, "read data %r" % read.data)
    print("ok read configmap")

    patched = core.patch_namespaced_config_map(name, namespace, {"data": {"b": "2"}})
    check(patched.data == {"a": "1", "b": "2"}, "patched data %r" % patched.data)
    check(int(patched.metadata.resource_version) > int(created.metadata.resource_version), "resourceVersion did not move")
    print("ok patch configmap")

    # A watch from the patch's resourceVersion sees the deletion, then ends at its timeout.
    core.delete_namespaced_config_map(name, namespace)
    print("ok delete configmap")
    events = []
    w = watch.Watch()
    for event in w.stream(
        core.list_namespaced_config_map,
        namespace,
        label_selector="smoke=python",
        resource_version=patched.metadata.resource_version,
        timeout_seconds=1,
    ):
        events.append((event["type"], event["object"].metadata.name))
    check(("DELETED", name) in events, "watch events %r" % events)
    print("ok watch configmaps")

    try:
        core.read_namespaced_config_map(name, namespace)
        raise AssertionError("configmap still readable after delete")
    except client.ApiException as e:
        check(e.status == 404, "read after delete answered %s" % e.status)
    print("ok read after delete is 404")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
