#!/usr/bin/env bash
# Runs the quick experiment on a real one-node Slurm cluster, the way a user would: emit the
# job files, submit them, wait for the array and the merge, and check that the merged files
# are byte for byte those of a local sweep; then resubmit one shard and merge again.
# Needs root on Debian 12 (installs slurmctld, slurmd, slurm-client and munge with apt-get);
# starts munged (if not running), slurmctld and slurmd itself and stops them by PID at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

TMP=$(mktemp -d /tmp/countysim-slurm.XXXXXX)
PIDS=()
RESULT=FAIL

log() { echo "== slurm-test: $*"; }

show_logs() {
  for f in "$TMP"/slurm/logs/* "$TMP"/slurmctld.log "$TMP"/slurmd.log "$TMP"/*.stderr; do
    [ -s "$f" ] || continue
    echo "---- $f"
    tail -n 40 "$f"
  done
}

cleanup() {
  local status=$?
  if [ "$RESULT" != PASS ]; then
    show_logs || true
  fi
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
  echo "slurm-test: $RESULT"
  exit "$status"
}
trap cleanup EXIT

fail() { echo "slurm-test: $*" >&2; exit 1; }

start=$(date +%s)
BIN="$TMP/countysim"
# SLURM_TEST_BUILDFLAGS: extra go build flags for the binary (CI: the race stage's).
go build ${SLURM_TEST_BUILDFLAGS:-} -o "$BIN" ./cmd/countysim

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  log "installing slurm and munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
fi

if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  log "starting munged"
  mkdir -p /run/munge && chown munge:munge /run/munge
  runuser -u munge -- /usr/sbin/munged
  PIDS+=("$(cat /run/munge/munged.pid)")
  munge -n | unmunge >/dev/null || fail "munge does not work"
fi

# Ports away from the defaults, so that a Slurm already on the machine is left alone.
CTLD_PORT=$((20000 + RANDOM % 5000))
SLURMD_PORT=$((CTLD_PORT + 5000))
mkdir -p "$TMP/state" "$TMP/spool"
export SLURM_CONF="$TMP/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=countysim-ci
SlurmctldHost=localhost
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
AuthType=auth/munge
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
MinJobAge=600
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool
SlurmctldPidFile=$TMP/slurmctld.pid
SlurmdPidFile=$TMP/slurmd.pid
SlurmctldLogFile=$TMP/slurmctld.log
SlurmdLogFile=$TMP/slurmd.log
NodeName=localhost CPUs=2 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=20000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF

log "starting slurmctld and slurmd (ports $CTLD_PORT, $SLURMD_PORT)"
slurmctld -D -f "$SLURM_CONF" >/dev/null 2>"$TMP/slurmctld.stderr" &
PIDS+=($!)
slurmd -D -f "$SLURM_CONF" -N localhost >/dev/null 2>"$TMP/slurmd.stderr" &
PIDS+=($!)
for i in $(seq 180); do # 90 s: CI runs this beside the fuzz targets
  state=$(sinfo -h -N -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  [ "$i" -lt 180 ] || fail "node not idle within 90 s (sinfo says: ${state:-nothing})"
  sleep 0.5
done
log "node idle after $(($(date +%s) - start)) s"

EXP=scenarios/experiments/quick.yaml
OUT="$TMP/slurm"
"$BIN" sweep "$EXP" --emit slurm --shards 3 --out "$OUT"

submitted=$(bash "$OUT/submit.sh")
echo "$submitted"
ARRAY=$(sed -n 's/^sweep: job array \([0-9]*\).*/\1/p' <<<"$submitted")
MERGE=$(sed -n 's/^merge: job \([0-9]*\).*/\1/p' <<<"$submitted")
[ -n "$ARRAY" ] && [ -n "$MERGE" ] || fail "submit.sh printed no job ids"

# job_states ID prints the state of every job (array task) of ID.
job_states() { scontrol -o show job "$1" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | sort -u | tr '\n' ' '; }

log "waiting for array job $ARRAY and merge job $MERGE"
deadline=$(($(date +%s) + 300))
while [ -n "$(squeue -h -j "$ARRAY,$MERGE" 2>/dev/null)" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "jobs not done within 5 minutes: $(squeue -j "$ARRAY,$MERGE")"
  sleep 0.5
done
[ "$(job_states "$ARRAY")" = "COMPLETED " ] || fail "array job $ARRAY ended $(job_states "$ARRAY")"
[ "$(job_states "$MERGE")" = "COMPLETED " ] || fail "merge job $MERGE ended $(job_states "$MERGE")"

log "local sweep for reference"
"$BIN" sweep "$EXP" --out "$TMP/local" -j 2 -q
same_as_local() {
  for f in runs.csv rows.csv points.csv runs.parquet rows.parquet experiment.yaml; do
    cmp "$TMP/local/$f" "$OUT/merged/$f" || fail "$1: merged $f differs from a local sweep's"
  done
  log "$1: merged files are those of a local sweep"
}
same_as_local "array and merge"

log "resubmitting shard 1 after deleting it"
rm -rf "$OUT/shard-1-of-3"
sbatch --wait --array=1 "$OUT/sweep.sbatch" >/dev/null || fail "resubmitted shard 1 failed"
[ -f "$OUT/shard-1-of-3/batch.json" ] || fail "resubmitted shard 1 wrote no batch.json"
MERGE=$(sbatch --parsable --wait "$OUT/merge.sbatch") || fail "merge after resubmission failed"
grep -q '3 shards, 12 runs' "$OUT/logs/merge-${MERGE%%;*}.out" || fail "the second merge did not write the merged folder"
same_as_local "resubmitted shard"

log "took $(($(date +%s) - start)) s"
RESULT=PASS
