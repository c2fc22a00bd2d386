"""``journeytools report``: run the report notebook once per persona and write the layout
of SPEC §5 (index.html, index.pdf, <persona>.html, <persona>.pdf, notebooks/<persona>.ipynb)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import JourneyToolsError, NotFound, persona_choices, pick
from ..model.workshop import Workshop
from ..store.folder import load
from ..store.resources import report_notebook
from . import index as index_page
from .kernels import KERNEL_MODES, KernelError, KernelPool, kill_kernel, new_kernel_manager, shutdown
from .render import PDF_ENGINES, HtmlRenderer, branding, write_pdf

if TYPE_CHECKING:
    from jupyter_client.manager import KernelManager

FORMATS = ("html", "pdf")
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ReportOptions:
    """How to build reports; every default works offline."""

    formats: tuple[str, ...] = ("html",)
    personas: tuple[str, ...] = ()  # empty: every persona
    jobs: int | None = None  # None: CPU count
    pdf_engine: str = "weasyprint"
    today: str = ""  # ISO date shown in the reports; blank = today
    notebook: Path | None = None  # the report notebook (default: notebooks/persona_report.ipynb)
    kernel_name: str = "python3"
    kernels: str = "fork"  # fork (from a warm parent), warm (new process + imports) or fresh
    compare: Path | None = None  # a future-state map to compare with (SPEC §9, --compare)


@dataclass
class PersonaResult:
    id: str
    name: str
    ok: bool
    html: Path | None = None
    pdf: Path | None = None
    notebook: Path | None = None
    error: str = ""


@dataclass
class BuildResult:
    index: Path
    personas: list[PersonaResult] = field(default_factory=list)
    index_pdf: Path | None = None  # the overview as a PDF, when pdf was asked for
    index_error: str = ""  # why index.pdf could not be printed

    @property
    def failures(self) -> list[str]:
        failed = [f"{p.id}: {p.error}" for p in self.personas if not p.ok]
        return failed + ([f"index.pdf: {self.index_error}"] if self.index_error else [])


class ReportError(JourneyToolsError):
    """Reports cannot be built (bad options, unwritable output); raised before any work."""


class ReportStopped(SystemExit):
    """The run was stopped by SIGTERM or SIGHUP; raised once every kernel and worker it
    started has been stopped. A ``SystemExit`` with code 128 + the signal number, so a program
    that does not catch it exits as one killed by the signal would (SIGINT raises
    ``KeyboardInterrupt``, as usual)."""

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
STOP_WAIT = 5.0  # seconds a stopped run waits for its threads to let go of their kernels


@contextmanager
def _stop_on_signals() -> Iterator[None]:
    """While reports are built: SIGTERM and SIGHUP raise ``ReportStopped``, SIGINT
    ``KeyboardInterrupt``, so that ``finally`` stops every process started. Only the first
    signal raises (a second Ctrl-C does not interrupt the clean-up, which takes a second or
    two). Signals whose handler is not the default (an application's own, or SIGHUP ignored
    under nohup) are left alone; off the main thread nothing changes (Python allows handlers
    only there)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired: list[int] = []

    def handler(signum: int, frame: Any) -> None:
        if fired:
            return
        fired.append(signum)
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise ReportStopped(signum)

    previous: dict[int, Any] = {}
    for name in STOP_SIGNALS:
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        default = signal.default_int_handler if sig == signal.SIGINT else signal.SIG_DFL
        if signal.getsignal(sig) is default:
            previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _normalise(ws: Workshop, opts: ReportOptions) -> tuple[ReportOptions, list[str]]:
    """Options with every name as its id (any case given) and the problems found in them."""
    problems: list[str] = []

    def one(kind: str, value: str, choices: object) -> str:
        try:
            return pick(kind, value, choices)  # type: ignore[arg-type]
        except NotFound as exc:
            problems.append(str(exc))
            return value

    formats = tuple(dict.fromkeys(one("format", f, FORMATS) for f in opts.formats if f.strip()))
    if not formats:
        problems.append("no format given; expected html, pdf or html,pdf")
    kernels = one("kernel mode", opts.kernels, KERNEL_MODES)
    engine = one("PDF engine", opts.pdf_engine, list(PDF_ENGINES))
    personas = tuple(dict.fromkeys(one("persona", p, persona_choices(ws)) for p in opts.personas))
    if not len(ws.personas):
        problems.append("the workshop has no personas to report on")
    today = str(opts.today or "").strip()
    if today:
        try:
            dt.date.fromisoformat(today)
        except ValueError:
            problems.append(f"--today {today!r} is not an ISO date such as 2026-11-25")
    nb = opts.notebook or report_notebook()
    if not Path(nb).is_file():
        problems.append(f"report notebook not found: {nb}")
    if opts.compare is not None:
        try:
            other = load(opts.compare)
        except JourneyToolsError as exc:
            problems.append(f"--compare {opts.compare}: {str(exc).splitlines()[0]}")
        else:
            if other.state != "future":
                problems.append(f"--compare {opts.compare} is a {other.state}-state map; expected the "
                                "future state of this one (journeytools new FUTURE --from CURRENT)")
    return replace(opts, formats=formats, kernels=kernels, pdf_engine=engine, personas=personas,
                   today=today), problems


def _unwritable(out: Path) -> str | None:
    """Why ``out`` cannot be created or written, found without creating anything."""
    existing = out
    while not os.path.lexists(existing) and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        return f"cannot write to output folder {out}: {existing} is not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"cannot write to output folder {out}: permission denied"
    return None


def _prepare(out: Path) -> None:
    """Create ``out/notebooks`` and check a file can be written there."""
    try:
        (out / "notebooks").mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise ReportError(f"cannot write to output folder {out}: {exc.strerror or exc}") from None


def _failure(exc: BaseException) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return f"cell {exc.cell_index + 1} failed: {exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}"


def build_reports(folder: str | os.PathLike, out: str | os.PathLike,
                  opts: ReportOptions = ReportOptions(),
                  progress: Progress | None = None) -> BuildResult:
    """Build every persona's report; a failing persona does not stop the others.

    Formats, personas, the kernel mode and the PDF engine are ids in any case. Raises
    ``ValidationError`` for an invalid workshop and ``ReportError`` for bad options or an
    unwritable output folder, before anything is created or any kernel starts.
    """
    import papermill as pm

    ws = load(folder)
    out = Path(out).absolute()
    opts, problems = _normalise(ws, opts)
    blocked = _unwritable(out)
    if blocked:
        problems.append(blocked)
    if problems:  # nothing has been created yet
        raise ReportError("; ".join(problems))
    _prepare(out)
    personas = list(opts.personas) or list(ws.personas["id"])
    jobs = max(1, min(opts.jobs or os.cpu_count() or 1, len(personas)))
    notebook = Path(opts.notebook or report_notebook()).absolute()
    today = opts.today or dt.date.today().isoformat()
    brand = branding(ws)
    renderer = HtmlRenderer() if "html" in opts.formats or "pdf" in opts.formats else None
    workshop_abs = str(Path(folder).resolve())
    done = {"n": 0}
    results: dict[str, PersonaResult] = {}

    stopping = threading.Event()  # set once the run is being stopped: no new work, no progress
    lock = threading.Lock()
    active: set[KernelManager] = set()  # kernels running a persona's notebook now
    running = {"n": 0}  # persona threads in progress

    def tick(label: str) -> None:
        with lock:
            done["n"] += 1
            n = done["n"]
        if progress and not stopping.is_set():
            progress(label, n, len(personas))

    def one(pid: str) -> PersonaResult:
        with lock:
            running["n"] += 1
        try:
            return persona(pid)
        finally:
            with lock:
                running["n"] -= 1

    def persona(pid: str) -> PersonaResult:
        name = ws.persona_name(pid)
        nb_out = out / "notebooks" / f"{pid}.ipynb"
        res = PersonaResult(pid, name, False, notebook=nb_out)
        km = None
        try:
            # A kernel that fails to start fails this persona. ``fresh``: papermill starts it,
            # but it is ours to track so a stopped run can kill it.
            km = pool.get() if pool else new_kernel_manager(opts.kernel_name)
            with lock:
                if stopping.is_set():
                    raise KernelError("the report was stopped")
                active.add(km)
            nb = pm.execute_notebook(
                str(notebook), str(nb_out),
                parameters={"workshop": workshop_abs, "persona": pid, "today": today,
                            **({"compare": str(Path(opts.compare).resolve())} if opts.compare else {})},
                kernel_name=opts.kernel_name, progress_bar=False, log_output=False,
                # No papermill ``cwd``: it chdirs the whole process, which races between threads;
                # warm kernels are started in the notebook's folder instead.
                request_save_on_cell_execute=False, km=km)
        except Exception as exc:  # papermill keeps the partial notebook in nb_out
            res.error = _failure(exc)
            tick(f"{pid} failed")
            return res
        finally:
            if km is not None:
                with lock:
                    active.discard(km)
                _shutdown(km)
        try:
            assert renderer is not None
            html = renderer.render(nb, f"{name} — {ws.title}", brand)
            if "html" in opts.formats:
                res.html = out / f"{pid}.html"
                _write(res.html, html)
            if "pdf" in opts.formats:
                res.pdf = out / f"{pid}.pdf"
                print_pdf(html, res.pdf)
            res.ok = True
        except Exception as exc:
            res.error = f"rendering failed: {type(exc).__name__}: {exc}"
        tick(pid if res.ok else f"{pid} failed")
        return res

    def print_pdf(html: str, path: Path) -> None:
        if pdf_pool is not None:
            pdf_pool.submit(write_pdf, html, path, opts.pdf_engine).result()
        else:
            write_pdf(html, path, opts.pdf_engine)

    def overview() -> BuildResult:
        """index.html, and index.pdf when PDFs are asked for (SPEC §5: the overview for
        readers who only get PDFs), printed by a PDF worker that has WeasyPrint loaded."""
        ordered = [results[p] for p in personas]
        result = BuildResult(out / "index.html", ordered)
        html = index_page.render(ws, ordered, out, brand, today, opts.compare)
        _write(result.index, html)
        if "pdf" in opts.formats:
            try:
                print_pdf(html, out / "index.pdf")
                result.index_pdf = out / "index.pdf"
            except Exception as exc:  # the persona reports are done: report it, as for a persona
                result.index_error = f"rendering failed: {type(exc).__name__}: {exc}"
        return result

    def stop_everything() -> None:
        """Kill every kernel and worker this run started, now; wait (briefly) for the persona
        threads to notice, so nothing they start afterwards survives either."""
        stopping.set()
        logging.getLogger("papermill").addFilter(_mute)  # "Kernel died …" from each thread
        if pdf_pool is not None:
            _kill_workers(pdf_pool)
        if ex is not None:
            ex.shutdown(wait=False, cancel_futures=True)
        if pool is not None:
            pool.close(kill=True)
        deadline = time.monotonic() + STOP_WAIT
        while True:
            with lock:
                kms, busy = list(active), running["n"]
            for km in kms:
                kill_kernel(km)
            if not busy or time.monotonic() > deadline:
                break
            time.sleep(0.05)

    pool: KernelPool | None = None
    pdf_pool: ProcessPoolExecutor | None = None
    ex: ThreadPoolExecutor | None = None
    finished = False
    with _stop_on_signals():
        try:
            if opts.kernels != "fresh":
                pool = KernelPool(jobs, len(personas), opts.kernel_name, str(notebook.parent),
                                  mode=opts.kernels)
            # WeasyPrint is pure Python: in threads it would hold the GIL the papermill drivers
            # need, so PDFs are printed in worker processes (spawned, as this process has
            # threads), which stop themselves if this process dies.
            if "pdf" in opts.formats and len(personas) > 1:
                import multiprocessing

                from .zygote import watch_parent

                pdf_pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                                               initializer=watch_parent, initargs=(os.getpid(),))
            ex = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="jt-report")
            for res in ex.map(one, personas):
                results[res.id] = res
            result = overview()
            finished = True
        finally:
            try:
                if not finished or ex is None:  # an error, Ctrl-C or a stop signal: kill, don't wait
                    stop_everything()
                else:
                    ex.shutdown()
                    if pool is not None:
                        pool.close()
                    if pdf_pool is not None:
                        pdf_pool.shutdown()
            except BaseException:  # e.g. a stop signal during the normal shutdown
                stop_everything()
                raise
            finally:
                logging.getLogger("papermill").removeFilter(_mute)
    return result


def _mute(record: logging.LogRecord) -> bool:
    return False


def _shutdown(km: KernelManager) -> None:
    try:
        if km.has_kernel:
            shutdown(km)
        else:  # never started (a ``fresh`` kernel papermill did not get to start)
            km.cleanup_resources()
    except Exception:
        pass


def _kill_workers(pdf_pool: ProcessPoolExecutor) -> None:
    """Kill the PDF worker processes now and reap them."""
    procs = list((getattr(pdf_pool, "_processes", None) or {}).values())
    for proc in procs:
        try:
            proc.kill()
        except Exception:
            pass
    pdf_pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        try:
            proc.join(1)
        except Exception:
            pass


def _write(path: Path, text: str) -> None:
    from ..fsutil import write_text_atomic

    write_text_atomic(path, text)
