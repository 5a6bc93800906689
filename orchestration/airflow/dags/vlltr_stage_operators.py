"""The two ways the vlltr_pipeline DAG runs a stage, with the stage contract's exit codes as task states.

* ``StagePodOperator`` (``kubernetes`` mode): the provider's KubernetesPodOperator; a pod whose stage container
  exited with 2 fails the task at once instead of being retried.
* ``LocalStageOperator`` (``local`` mode): the same stage jar as a subprocess of the Airflow worker, with the same
  arguments; its ``return.json`` (the stage's XCom) is read from a folder of its own and returned.

Exit codes (ARCHITECTURE.md, "The stage contract"): 0 ok; 2 bad input or configuration (retrying cannot help, so
``AirflowFailException``: no retry, the user sees the message at once); anything else a failure that a retry may cure
(``AirflowException``: retried with the task's exponential backoff).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import tempfile
from collections import deque
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
from airflow.sdk import BaseOperator

try:  # Airflow 3.3 keeps the task exceptions in the SDK; airflow.exceptions re-exports them
    from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowSkipException
except ImportError:  # pragma: no cover - older Airflow 3
    from airflow.exceptions import AirflowException, AirflowFailException, AirflowSkipException

BAD_INPUT_EXIT = 2
"""The stage contract's exit code for bad input or configuration (dev.vlltr.runtime.cli.ExitCodes.BAD_INPUT)."""

STAGE_ENV = {"DJL_OFFLINE": "true", "OPT_OUT_TRACKING": "true", "VLLTR_PLAIN_PROGRESS": "1"}
"""What every stage JVM gets in local mode, as the images bake it in (and the Java local runner's StageProcess)."""

STAGE_ENV_DEFAULTS = {
    "GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.top_pad=67108864"}
"""Set in local mode unless the worker's environment has its own: the stages' glibc malloc settings (Java:
dev.vlltr.runtime.cli.MallocTunables; without them libtorch's freed CPU buffers go back to the kernel and every step
page-faults them in again). The images bake the same value in."""

LOG_TAIL_LINES = 30


def drop_absent_inputs(arguments: Sequence[Any]) -> list[Any]:
    """The rendered arguments without ``--input NAME=`` pairs whose URI rendered empty: a Jinja-templated argument
    list cannot lose items while it renders, so the operators drop them afterwards (an optional parameter input
    whose parameter is empty: vlltr_pipeline.param_input_absent)."""
    args = list(arguments)
    out: list[Any] = []
    i = 0
    while i < len(args):
        if args[i] == "--input" and i + 1 < len(args) and isinstance(args[i + 1], str) and args[i + 1].endswith("="):
            i += 2
            continue
        out.append(args[i])
        i += 1
    return out


def container_exit_code(pod: Any, container_name: str) -> int | None:
    """The exit code of a terminated container of a pod (a kubernetes V1Pod), or None when it has none."""
    status = getattr(pod, "status", None)
    for s in (getattr(status, "container_statuses", None) or []):
        if s.name == container_name and s.state is not None and s.state.terminated is not None:
            return s.state.terminated.exit_code
    return None


class StagePodOperator(KubernetesPodOperator):
    """KubernetesPodOperator whose failures follow the stage contract: exit code 2 is not retried.

    The provider decides success or failure in ``cleanup`` (both in the worker and, deferrable, after the trigger
    fires) and raises a plain AirflowException for any failed pod; here that becomes an AirflowFailException when
    the stage container exited with 2."""

    def render_template_fields(self, context, jinja_env=None) -> None:
        super().render_template_fields(context, jinja_env)
        self.arguments = drop_absent_inputs(self.arguments or [])

    def cleanup(self, pod, remote_pod):
        try:
            return super().cleanup(pod, remote_pod)
        except (AirflowFailException, AirflowSkipException):
            raise
        except AirflowException as e:
            code = container_exit_code(remote_pod, self.base_container_name)
            if code == BAD_INPUT_EXIT:
                raise AirflowFailException(
                    f"stage exited with {BAD_INPUT_EXIT} (bad input or configuration; not retried): {e}") from e
            raise


class StageFailed(AirflowException):
    """A stage subprocess ended with a non-zero exit code other than 2 (retried)."""


class LocalStageOperator(BaseOperator):
    """Runs ``java [jvm options] -jar <stage jar> <arguments>`` on the worker and returns the stage's XCom.

    ``arguments`` are exactly the pod's container arguments (built by the same functions). The stage writes
    ``return.json`` into ``$VLLTR_XCOM_DIR``, a fresh folder per attempt, instead of ``/airflow/xcom``.
    The process gets the worker's environment (credentials, ``VLLTR_S3_ENDPOINT``, ``VLLTR_REGISTRY_URL`` come from
    where Airflow runs), plus STAGE_ENV and ``env_vars``. It is killed with the task (timeout, mark-failed) and, via
    the parent-death signal, with the worker itself, so a retry never races an orphan of the previous attempt.
    """

    template_fields: Sequence[str] = ("arguments", "env_vars")
    ui_color = "#e8f0fe"

    def __init__(self, *, stage: str, jar: str, arguments: Any = None, env_vars: Mapping[str, str] | None = None,
                 java: str | None = None, jvm_options: Sequence[str] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stage = stage
        self.jar = jar
        self.arguments = arguments if arguments is not None else []
        self.env_vars = dict(env_vars or {})
        self.java = java
        self.jvm_options = list(jvm_options) if jvm_options is not None else None
        self._process: subprocess.Popen | None = None

    def render_template_fields(self, context, jinja_env=None) -> None:
        super().render_template_fields(context, jinja_env)
        self.arguments = drop_absent_inputs(self.arguments)

    # -- what runs

    def command(self) -> list[str]:
        java = self.java or os.environ.get("VLLTR_JAVA") or shutil.which("java") or "java"
        jvm = self.jvm_options if self.jvm_options is not None else shlex.split(os.environ.get("VLLTR_JAVA_OPTS", ""))
        return [java, *jvm, "-jar", self.jar, *[str(a) for a in self.arguments]]

    def environment(self, xcom_dir: Path) -> dict[str, str]:
        env = dict(os.environ)
        env.update(STAGE_ENV)
        for k, v in STAGE_ENV_DEFAULTS.items():
            env.setdefault(k, v)
        env.update({k: str(v) for k, v in self.env_vars.items()})
        env["VLLTR_XCOM_DIR"] = str(xcom_dir)
        return env

    def execute(self, context) -> dict[str, Any]:
        if not Path(self.jar).is_file():
            raise AirflowFailException(
                f"stage '{self.stage}': no jar at {self.jar} (pipeline.yaml stages[].local.jar under $VLLTR_REPO);"
                f" build it: ./mvnw -B package -DskipTests -pl stages/{self.stage} -am")
        xcom_dir = Path(tempfile.mkdtemp(prefix=f"vlltr-xcom-{self.task_id}-"))
        try:
            code, tail = self._run(xcom_dir)
            if code == BAD_INPUT_EXIT:
                raise AirflowFailException(f"stage '{self.stage}' exited with {code} (bad input or configuration;"
                                           f" not retried):\n" + "\n".join(tail))
            if code != 0:
                raise StageFailed(f"stage '{self.stage}' exited with {code}:\n" + "\n".join(tail))
            result_file = xcom_dir / "return.json"
            if not result_file.is_file():
                raise StageFailed(f"stage '{self.stage}' exited with 0 but wrote no {result_file}")
            return json.loads(result_file.read_text(encoding="utf-8"))
        finally:
            shutil.rmtree(xcom_dir, ignore_errors=True)

    def _run(self, xcom_dir: Path) -> tuple[int, list[str]]:
        command = self.command()
        self.log.info("local stage %s: %s", self.stage, shlex.join(command))
        tail: deque[str] = deque(maxlen=LOG_TAIL_LINES)
        self._process = subprocess.Popen(
            command, env=self.environment(xcom_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, text=True, errors="replace", start_new_session=True,
            preexec_fn=_die_with_parent)
        try:
            assert self._process.stdout is not None
            for line in self._process.stdout:
                line = line.rstrip("\n")
                tail.append(line)
                self.log.info("%s", line)
            return self._process.wait(), list(tail)
        finally:
            self._stop()  # a timeout (AirflowTaskTimeout) or a kill interrupts the loop: the stage goes too

    def _stop(self) -> None:
        proc = self._process
        if proc is None or proc.poll() is not None:
            return
        self.log.warning("stopping stage %s (pid %s)", self.stage, proc.pid)
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # its own session: the JVM and anything it started
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        except ProcessLookupError:
            pass

    def on_kill(self) -> None:
        self._stop()


def _die_with_parent() -> None:
    """In the child before exec: SIGKILL when the worker process dies (Linux prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the task's own stop handling still applies
        pass
