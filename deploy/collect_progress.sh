#!/usr/bin/env bash
# Copy every learner's progress file out of the hub's Docker volumes (melt-progress-<name>)
# into one folder, for: melt-course class-report OUT --out report
#
#   deploy/collect_progress.sh OUT
set -euo pipefail
out="${1:?usage: deploy/collect_progress.sh OUT}"
mkdir -p "$out"
count=0
for volume in $(docker volume ls --quiet --filter name=melt-progress-); do
  learner="${volume#melt-progress-}"
  if docker run --rm -v "$volume:/p:ro" -v "$(cd "$out" && pwd):/out" alpine \
      sh -c "test -f /p/progress.json && cp /p/progress.json /out/$learner.json \
             && if [ -f /p/progress.json.log ]; then cp /p/progress.json.log /out/$learner.json.log; fi"; then
    # (a store of 256 KB or more keeps its newest records in progress.json.log beside it;
    # the class report reads FILE.log with FILE)
    count=$((count + 1))
  else
    echo "collect_progress: no progress file yet in $volume" >&2
  fi
done
echo "collect_progress: copied $count progress file(s) to $out"
