"""The scheduled service around the pipeline: run folders, state, the daemon and e-mail.

``cycle`` is one run as ``digest run`` and ``digest schedule`` do it; ``scheduler`` is the
daemon that starts runs on time and never lets two overlap; ``state`` remembers what earlier
runs saw (so a digest can show only what is new); ``runs`` writes and publishes
``out/<date-time>/`` folders; ``deliver`` e-mails a run folder. The pipeline's stages are
passed in (``Pipeline``), so nothing here depends on how a briefing is built.
"""

from digest.service.cycle import (
    CycleResult, Pipeline, last_run_time, lock_path, make_job, run_cycle, run_locked, send_folder,
)
from digest.service.deliver import check_ready
from digest.service.scheduler import Daemon

__all__ = [
    "CycleResult", "Daemon", "Pipeline", "check_ready", "last_run_time", "lock_path", "make_job", "run_cycle",
    "run_locked", "send_folder",
]
