# A private containerd for integration tests (sourced after lib.sh): its own config, root, state,
# socket and opt directory under $WORK (ENVIRONMENT.md section 2), started in the background,
# waited for, and stopped by PID when the script exits. containerd that cannot start is a
# FAILURE of the test, never a skip.
#
#   containerd_start            starts it; sets CONTAINERD_ADDRESS, CONTAINERD_NAMESPACE, CTR (array)
#   containerd_stop             stops it (also run by the EXIT trap)
#   ctr_images_ls_digest NAME   the target digest containerd holds for image NAME, or empty

require_tools containerd ctr runc

CONTAINERD_DIR="$WORK/containerd"
CONTAINERD_ADDRESS="$CONTAINERD_DIR/containerd.sock"
CONTAINERD_NAMESPACE=${CONTAINERD_NAMESPACE:-edgeverify-test}
CONTAINERD_PID=""
CTR=(ctr --address "$CONTAINERD_ADDRESS" --namespace "$CONTAINERD_NAMESPACE")

containerd_stop() {
    [ -n "$CONTAINERD_PID" ] || return 0
    kill "$CONTAINERD_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 50); do
        kill -0 "$CONTAINERD_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -9 "$CONTAINERD_PID" 2>/dev/null || true
    wait "$CONTAINERD_PID" 2>/dev/null || true
    CONTAINERD_PID=""
    # Snapshots may hold mounts (overlayfs); unmount what lives under our root before rm -rf.
    if [ -r /proc/self/mounts ]; then
        awk -v root="$CONTAINERD_DIR" 'index($2, root) == 1 {print $2}' /proc/self/mounts | sort -r |
            while read -r m; do umount "$m" 2>/dev/null || true; done
    fi
}

_containerd_exit() {
    local rc=$?
    containerd_stop
    # lib.sh's cleanup reads the exit status from $?; without set +e, errexit would end the trap
    # at the failing subshell and skip the cleanup.
    set +e
    (exit "$rc")
    _it_cleanup
}
trap _containerd_exit EXIT

containerd_start() {
    mkdir -p "$CONTAINERD_DIR/root" "$CONTAINERD_DIR/state" "$CONTAINERD_DIR/opt"
    cat >"$CONTAINERD_DIR/config.toml" <<TOML
version = 2
root = "$CONTAINERD_DIR/root"
state = "$CONTAINERD_DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$CONTAINERD_ADDRESS"
  tcp_address = ""
[ttrpc]
  address = "$CONTAINERD_ADDRESS.ttrpc"
[debug]
  address = ""
  level = "info"
[metrics]
  address = ""
[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$CONTAINERD_DIR/opt"
TOML
    containerd --config "$CONTAINERD_DIR/config.toml" >"$CONTAINERD_DIR/containerd.log" 2>&1 &
    CONTAINERD_PID=$!
    local i
    for i in $(seq 1 100); do
        if [ -S "$CONTAINERD_ADDRESS" ] && "${CTR[@]}" version >/dev/null 2>&1; then
            echo "# containerd $(containerd --version | awk '{print $3}') up (pid $CONTAINERD_PID) on $CONTAINERD_ADDRESS"
            return 0
        fi
        if ! kill -0 "$CONTAINERD_PID" 2>/dev/null; then
            CONTAINERD_PID=""
            break
        fi
        sleep 0.1
    done
    echo "containerd log:" >&2
    tail -n 30 "$CONTAINERD_DIR/containerd.log" >&2 || true
    bail "containerd did not start on $CONTAINERD_ADDRESS (log above)"
}

ctr_images_ls_digest() {  # NAME -> target digest or empty
    "${CTR[@]}" images ls | awk -v n="$1" 'NR > 1 && $1 == n {print $3}'
}
