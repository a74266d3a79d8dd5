"""`socialmission`: the registry's command line. Thin: each command calls one module."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialmission import package_version
from socialmission.errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from socialmission.mkdocs.engine import DEFAULT, ENGINE_VARIABLE, ENGINES
from socialmission.model.constants import UPLOAD_JOBS
from socialmission.model.mission import load_mission
from socialmission.model.paths import (
    BADGES_CACHE,
    MISSION_FILE,
    PLEDGES_DIR,
    PUBLISHED_BADGES,
    SITE_OUT,
)

if TYPE_CHECKING:
    from socialmission.changes.lifecycle import Registry
    from socialmission.github.api import GitHub as GitHubClient
    from socialmission.github.event import PullRequest as PullRequestEvent
    from socialmission.model.settings import Settings
    from socialmission.model.urls import Url
    from socialmission.ownership.judge import DomainProof, ProofCheck


def find_root(start: Path) -> Path:
    """The registry's root: the nearest folder, upwards, that holds the mission file."""
    for folder in (start, *start.parents):
        if (folder / MISSION_FILE).is_file():
            return folder
    raise UsageError(f"no {MISSION_FILE} in {start} or above: run this inside the registry "
                     "or pass --root")


def _root(args: argparse.Namespace) -> Path:
    return Path(args.root) if args.root else find_root(Path.cwd())


def _shortest(path: Path) -> Path:
    """The path as messages should show it: relative to here when it is below here."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _commit_id(text: str) -> str:
    """An argparse type: a full commit id (40 or 64 lowercase hexadecimal digits)."""
    from socialmission.github.event import COMMIT_ID  # noqa: PLC0415

    if not COMMIT_ID.fullmatch(text):
        raise argparse.ArgumentTypeError(f"must be a full commit id, not {text[:80]!r}")
    return text


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return number


class _VersionAction(argparse.Action):
    """--version, with the version looked up only when asked for (see package_version)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        sys.stdout.write(f"{parser.prog} {package_version()}\n")
        parser.exit()


def _name_check(root: Path) -> Callable[[str], str | None]:
    """Whether a name fits its badge, from the renderer; where only the validator is
    installed (the pre-commit hook: no HarfBuzz), that one check is skipped and said."""
    try:
        from socialmission.render.layout import name_check  # noqa: PLC0415
    except ImportError as error:
        print(f"socialmission: whether each name fits its badge is not checked here: that "
              f"needs the site tools ({error.name} is not installed: pip install "
              "'socialmission[site]'); the pull request's checks do it", file=sys.stderr)
        return lambda name: None
    return name_check(root)


def cmd_validate(args: argparse.Namespace) -> int:
    from socialmission.check.problems import render  # noqa: PLC0415 - keep `--help` fast
    from socialmission.check.validate import validate  # noqa: PLC0415
    from socialmission.model.settings import settings_names  # noqa: PLC0415

    root = _root(args)
    mission = load_mission(root)
    paths = [Path(p) for p in args.paths] or [_shortest(root / PLEDGES_DIR)]
    report = validate(paths, mission, name_fits=_name_check(root), workers=None,
                      settings_names=settings_names(root))
    sys.stdout.write(render(report.problems, args.format, report.checked, report.notes,
                            report.warnings))
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def cmd_new(args: argparse.Namespace) -> int:
    from socialmission.changes.new import run_new  # noqa: PLC0415

    root = _root(args)
    return run_new(args, root / PLEDGES_DIR, load_mission(root), _name_check(root))


def _lifecycle(args: argparse.Namespace) -> Registry:
    """The registry the life-cycle commands edit."""
    from socialmission.changes.lifecycle import Registry  # noqa: PLC0415
    from socialmission.model.clock import today  # noqa: PLC0415

    root = _root(args)
    return Registry(root, load_mission(root), _name_check(root), today())


def cmd_update(args: argparse.Namespace) -> int:
    from socialmission.changes.lifecycle import run_update  # noqa: PLC0415

    return run_update(_lifecycle(args), args.slug, args.set, args.unset)


def cmd_withdraw(args: argparse.Namespace) -> int:
    from socialmission.changes.lifecycle import run_withdraw  # noqa: PLC0415

    return run_withdraw(_lifecycle(args), args.slug, args.reason, args.date)


def cmd_reaffirm(args: argparse.Namespace) -> int:
    from socialmission.changes.lifecycle import run_reaffirm  # noqa: PLC0415

    return run_reaffirm(_lifecycle(args), args.slug, args.version, args.date)


def cmd_redact(args: argparse.Namespace) -> int:
    from socialmission.changes.lifecycle import run_redact  # noqa: PLC0415

    return run_redact(_lifecycle(args), args.slug, args.reason, args.date)


def _write_or_check(target: Path, wanted: str, check: bool, command: str) -> int:
    """Write a generated file, or with --check only say whether the committed one is current."""
    if check:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != wanted:
            print(f"{target} is out of date: run 'socialmission {command}' and commit it",
                  file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"{target} is up to date")
        return EXIT_OK
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(wanted, encoding="utf-8")
    print(f"wrote {target}")
    return EXIT_OK


def _load_settings(root: Path) -> Settings:
    from socialmission.model.settings import load_settings  # noqa: PLC0415

    return load_settings(root)


def derived_files(root: Path) -> dict[str, str]:
    """Every committed file written from the field table, mission.yaml and registry.yaml,
    by path: the schemas, the pledge template and the issue forms."""
    from socialmission.changes.changeform import form_text as change_form  # noqa: PLC0415
    from socialmission.changes.issueform import form_text  # noqa: PLC0415
    from socialmission.changes.reportform import form_text as report_form  # noqa: PLC0415
    from socialmission.check.schema import schema_text  # noqa: PLC0415
    from socialmission.check.template import template_text  # noqa: PLC0415
    from socialmission.model import paths  # noqa: PLC0415
    from socialmission.model.settings import schema_text as settings_schema  # noqa: PLC0415

    mission, settings = load_mission(root), _load_settings(root)
    name = settings.mission_name
    return {paths.SCHEMA_FILE: schema_text(mission, name),
            paths.SETTINGS_SCHEMA_FILE: settings_schema(),
            f"{PLEDGES_DIR}/{paths.TEMPLATE_NAME}": template_text(mission, name),
            paths.SIGN_FORM_FILE: form_text(mission, name),
            paths.CHANGE_FORM_FILE: change_form(mission),
            paths.REPORT_FORM_FILE: report_form(settings)}


def _derived(args: argparse.Namespace, command: str, *names: str) -> int:
    root = _root(args)
    wanted = derived_files(root)
    return max(_write_or_check(root / name, wanted[name], args.check, command)
               for name in names or wanted)


def cmd_derived(args: argparse.Namespace) -> int:
    """Write every derived file (or with --check say which are stale), saying which
    changed and must be committed."""
    root = _root(args)
    wanted = derived_files(root)
    stale = [name for name, text in wanted.items()
             if not (root / name).is_file()
             or (root / name).read_text(encoding="utf-8") != text]
    if args.check:
        for name in stale:
            print(f"{root / name} is out of date: run 'socialmission derived' (or make site) "
                  "and commit it", file=sys.stderr)
        return EXIT_PROBLEMS if stale else EXIT_OK
    for name in stale:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(wanted[name], encoding="utf-8")
        print(f"changed {name}: commit it")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from socialmission.model.paths import SCHEMA_FILE, SETTINGS_SCHEMA_FILE  # noqa: PLC0415

    return _derived(args, "schema", SCHEMA_FILE, SETTINGS_SCHEMA_FILE)


def cmd_template(args: argparse.Namespace) -> int:
    from socialmission.model.paths import TEMPLATE_NAME  # noqa: PLC0415

    return _derived(args, "template", f"{PLEDGES_DIR}/{TEMPLATE_NAME}")


def cmd_serve(args: argparse.Namespace) -> int:
    from socialmission.mkdocs.serve import serve  # noqa: PLC0415
    from socialmission.model.settings import load_settings  # noqa: PLC0415

    root = _root(args)
    load_settings(root)
    serve(root, engine=args.engine, port=args.port)
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from socialmission.mkdocs import uptodate  # noqa: PLC0415
    from socialmission.mkdocs.engine import choose  # noqa: PLC0415
    from socialmission.model.settings import load_settings, site_url  # noqa: PLC0415

    root = _root(args)
    load_settings(root)  # before MkDocs starts: its problems listed plainly, exit 1
    out = Path(args.out) if args.out else root / SITE_OUT
    published = None
    if args.published_badges is not None:
        from socialmission.site.published import read_state  # noqa: PLC0415

        published = read_state(Path(args.published_badges))
    engine = choose(args.engine)
    # checked before the build's own modules are imported, a third of a skipped build
    inputs = uptodate.stamp(root, engine, site_url(root))
    last = None if args.force else uptodate.current(
        root, out.resolve(), inputs, for_deployment=published is not None)
    if last is not None:
        print(f"up to date: nothing changed since the last build ({inputs.files} inputs); "
              f"{out} is as it was (--force builds anyway)")
        _notice_address(root)  # the site it left says the same as when it was built
        return EXIT_OK
    from socialmission.mkdocs.publish import build_site  # noqa: PLC0415

    report = build_site(root, out, engine=engine, published_badges=published, inputs=inputs)
    if published is not None:
        print(f"{len(report.published)} signatories' badges are published already, as they "
              "are now: not rendered, not in this site (it is for that deployment only)")
    print(f"built {out} with {report.engine}: {report.signatories} signatories, "
          f"{report.pages} pages")
    _notice_address(root)
    return EXIT_OK


def _notice_address(root: Path) -> None:
    """Notices on stderr, never MkDocs warnings (which a strict build turns into a
    failure), when the registry's address is a placeholder or a host's default domain."""
    from socialmission.model.hosts import address_notices  # noqa: PLC0415
    from socialmission.model.settings import site_url  # noqa: PLC0415

    try:
        url = site_url(root)
    except UsageError:  # not an https address: the build's own checks say so
        return
    for notice in address_notices(url):
        print(f"socialmission: {notice}", file=sys.stderr)


def cmd_site_address(args: argparse.Namespace) -> int:
    from socialmission.model.hosts import placeholder_reason  # noqa: PLC0415
    from socialmission.model.settings import site_url  # noqa: PLC0415

    url = site_url(_root(args))
    if not args.check_publishable:
        print(url)
        return EXIT_OK
    reason = placeholder_reason(url)
    if reason is not None:
        print(f"Not published: {reason}.")
        return EXIT_PROBLEMS
    print(f"site_url {url} can be published.")
    return EXIT_OK


def _proof_check(root: Path) -> ProofCheck:
    """The verdict's look at a pledge's domain (site/proofs.py): called by the judge only
    when the base's settings require a proof, or for an orphaned pledge. The proofs'
    names are the trusted checkout's settings'."""
    from socialmission.model.settings import load_settings  # noqa: PLC0415
    from socialmission.site.fetch import Fetcher  # noqa: PLC0415
    from socialmission.site.proofs import domain_checker, system_txt  # noqa: PLC0415

    def check(slug: str, website: Url) -> DomainProof:  # the settings read only when asked
        return domain_checker(Fetcher(), system_txt, load_settings(root))(slug, website)

    return check


def cmd_check_pr(args: argparse.Namespace) -> int:
    from socialmission.ownership.judge import Author, judge  # noqa: PLC0415
    from socialmission.render.layout import name_check  # noqa: PLC0415

    root = _root(args)
    # Whether a maintainer's account is gone is asked of GitHub only with a token.
    github = _github() if os.environ.get("GH_TOKEN") else None
    verdict = judge(root, args.base, args.head, Author(args.author, args.author_id),
                    name_check(root), proofs=_proof_check(root),
                    accounts=github.account_exists if github is not None else None)
    sys.stdout.write(verdict.render(args.format))
    return EXIT_OK if verdict.allowed else EXIT_PROBLEMS


def cmd_verdict(args: argparse.Namespace) -> int:
    from socialmission.github.event import read_pull_request  # noqa: PLC0415
    from socialmission.github.verdict import (  # noqa: PLC0415
        APP_SLUG_VARIABLE,
        only_the_default_branch,
        run,
        why_not_merged,
    )
    from socialmission.render.layout import name_check  # noqa: PLC0415

    root = _root(args)
    pull = read_pull_request(_event_path(args))
    only_the_default_branch(pull)
    github = None if args.dry_run else _github()
    pull = _for_the_issue_author(root, pull, github)
    judgement = run(root, pull, args.base, github, name_check(root), proofs=_proof_check(root),
                    app_slug=os.environ.get(APP_SLUG_VARIABLE, ""))
    verdict = judgement.verdict
    sys.stdout.write(verdict.render("github" if os.environ.get("GITHUB_ACTIONS") else "text"))
    merge = False
    settings = _settings_of(root)
    if github is not None and settings is not None and settings.automerge:
        why = why_not_merged(pull, judgement, github.repository)
        merge = why is None
        print(f"automerge: the next step merges #{pull.number} at {pull.head_sha[:12]} "
              "once it has read again that it may" if merge else
              f"not merged automatically (#{pull.number}): {why}")
    _step_outputs({"automerge": "true" if merge else "false", "pull": str(pull.number),
                   "sha": pull.head_sha})
    return EXIT_OK if verdict.allowed else EXIT_PROBLEMS


def _step_outputs(values: dict[str, str]) -> None:
    """The step's outputs for the workflow's later steps ($GITHUB_OUTPUT), when it runs in
    GitHub Actions; each value is one line of our own (never a pull request's text)."""
    target = os.environ.get("GITHUB_OUTPUT")
    if not target:
        return
    with Path(target).open("a", encoding="utf-8") as handle:
        handle.writelines(f"{name}={value}\n" for name, value in values.items()
                          if "\n" not in value and "\r" not in value)


def cmd_automerge(args: argparse.Namespace) -> int:
    from socialmission.github.verdict import APP_SLUG_VARIABLE, automerge  # noqa: PLC0415

    root = _root(args)
    settings = _settings_of(root)
    print(automerge(_github(), root, args.pull, args.sha,
                    enabled=settings is not None and settings.automerge,
                    app_slug=os.environ.get(APP_SLUG_VARIABLE, ""),
                    app_login=settings.app_login if settings is not None else None))
    return EXIT_OK


def _settings_of(root: Path) -> Settings | None:
    """The trusted checkout's settings (None where it has no settings file: nothing is
    merged automatically)."""
    from socialmission.model.paths import SETTINGS_FILE  # noqa: PLC0415
    from socialmission.model.settings import load_settings  # noqa: PLC0415

    return load_settings(root) if (root / SETTINGS_FILE).is_file() else None


def cmd_from_issue(args: argparse.Namespace) -> int:
    from socialmission.changes.issueform import (  # noqa: PLC0415
        BODY_MAX,
        body_text,
        comment,
        submit,
    )

    root = _root(args)
    mission = load_mission(root)
    limit = BODY_MAX * 4 + 1  # bytes: enough to say how long an oversized body is
    try:
        if args.body_file:
            with Path(args.body_file).open("rb") as handle:
                data = handle.read(limit)
        else:
            data = sys.stdin.buffer.read(limit)
    except OSError as error:
        raise UsageError(f"{args.body_file}: cannot read the issue's body: "
                         f"{error.strerror}") from None
    outcome = submit(root, body_text(data), mission, author=(args.author, args.author_id),
                     name_fits=_name_check(root))
    sys.stdout.write(comment(outcome, args.author))
    return EXIT_OK if outcome.ok else EXIT_PROBLEMS


def cmd_issue_form(args: argparse.Namespace) -> int:
    from socialmission.model.paths import (  # noqa: PLC0415
        CHANGE_FORM_FILE,
        REPORT_FORM_FILE,
        SIGN_FORM_FILE,
    )

    return _derived(args, "issue-form", SIGN_FORM_FILE, CHANGE_FORM_FILE, REPORT_FORM_FILE)


def cmd_verify(args: argparse.Namespace) -> int:
    from socialmission.check.validate import validate  # noqa: PLC0415
    from socialmission.model.clock import today  # noqa: PLC0415
    from socialmission.model.settings import site_url  # noqa: PLC0415
    from socialmission.site.fetch import Fetcher  # noqa: PLC0415
    from socialmission.site.proofs import summary, system_txt, verify  # noqa: PLC0415

    root = _root(args)
    report = validate([root / PLEDGES_DIR], load_mission(root), name_fits=lambda name: None)
    by_slug = {p.slug: p for p in report.pledges}
    unknown = [slug for slug in args.slugs if slug not in by_slug]
    if unknown:
        raise UsageError(f"no valid pledge has the slug {', '.join(map(repr, unknown))}: "
                         f"give slugs from {PLEDGES_DIR}/")
    chosen = [by_slug[slug] for slug in args.slugs] if args.slugs else report.pledges
    try:
        proofs = verify(root, chosen, site_url(root), fetcher=Fetcher(), txt=system_txt,
                        on=today())
    except OSError as error:  # the marks are lost, nothing else: never a failed run
        print(f"socialmission: {error}", file=sys.stderr)
        return EXIT_OK
    text = summary(proofs)
    sys.stdout.write(text)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with Path(step_summary).open("a", encoding="utf-8") as handle:
            handle.write(text)
    return EXIT_OK


def _github() -> GitHubClient:
    from socialmission.github.api import GitHub  # noqa: PLC0415

    return GitHub(os.environ.get("GITHUB_API_URL", "https://api.github.com"),
                  os.environ.get("GH_TOKEN", ""), os.environ.get("GITHUB_REPOSITORY", ""))


def _for_the_issue_author(root: Path, pull: PullRequestEvent,
                          github: GitHubClient | None) -> PullRequestEvent:
    """A pull request the registry's App opened for a signature is judged for the author
    of its issue (named by the branch, read through the API), not for the App; the App's
    login is kept, so that its pushes count as that author's."""
    import dataclasses  # noqa: PLC0415

    from socialmission.github.signing import issue_author  # noqa: PLC0415
    from socialmission.model.paths import SETTINGS_FILE  # noqa: PLC0415
    from socialmission.model.settings import load_settings  # noqa: PLC0415

    app_login = load_settings(root).app_login if (root / SETTINGS_FILE).is_file() else None
    if not app_login or pull.author_login.casefold() != app_login.casefold():
        return pull
    if github is None:
        raise UsageError("the registry App's pull request is judged for its issue's author, "
                         "read through the API: run without --dry-run")
    author = issue_author(github, pull.head_ref, pull.head_repository)
    return dataclasses.replace(pull, author_login=author.login, author_id=author.id,
                               app_login=pull.author_login)


def _event_path(args: argparse.Namespace) -> Path:
    event = args.event or os.environ.get("GITHUB_EVENT_PATH")
    if not event:
        raise UsageError("no event: pass --event FILE or run in GitHub Actions "
                         "(GITHUB_EVENT_PATH)")
    return Path(event)


def cmd_sign_issue(args: argparse.Namespace) -> int:
    from socialmission.changes.issueform import submit  # noqa: PLC0415
    from socialmission.github.signing import (  # noqa: PLC0415
        answer,
        earlier_signature,
        is_signing,
        others_edit,
        publish,
        read_issue,
    )

    root = _root(args)
    issue = read_issue(_event_path(args))
    if not is_signing(issue):
        print(f"issue #{issue.number} is not a signature (no 'signature' label): nothing "
              "to do")
        return EXIT_OK
    github = None if args.dry_run else _github()
    refusal = others_edit(issue) or (earlier_signature(github, issue) if github else None)
    if refusal is not None:
        sys.stdout.write(answer(github, issue, refusal) if github else refusal)
        return EXIT_OK
    outcome = submit(root, issue.body, load_mission(root),
                     author=(issue.author_login, issue.author_id),
                     name_fits=_name_check(root), write=False)
    if github is None:
        from socialmission.changes.issueform import comment  # noqa: PLC0415

        sys.stdout.write(comment(outcome, issue.author_login))
    else:
        sys.stdout.write(publish(github, issue, outcome, _load_settings(root)))
    return EXIT_OK  # the answer is the comment: a form with problems is no failed run


def cmd_change_issue(args: argparse.Namespace) -> int:
    from socialmission.changes.changeform import comment, read_change  # noqa: PLC0415
    from socialmission.github.signing import (  # noqa: PLC0415
        answer,
        is_change,
        others_edit,
        publish_change,
        read_issue,
    )

    issue = read_issue(_event_path(args))
    if not is_change(issue):
        print(f"issue #{issue.number} is not a change to a signature (no "
              "'signature-change' label): nothing to do")
        return EXIT_OK
    refusal = others_edit(issue)
    if refusal is not None:
        sys.stdout.write(refusal if args.dry_run else answer(_github(), issue, refusal))
        return EXIT_OK
    change = read_change(_lifecycle(args), issue.body,
                         author=(issue.author_login, issue.author_id))
    if args.dry_run:
        sys.stdout.write(comment(change, issue.author_login))
    else:
        sys.stdout.write(publish_change(_github(), issue, change,
                                        _load_settings(_root(args))))
    return EXIT_OK  # the answer is the comment: a form with problems is no failed run


def cmd_lock_signed_issue(args: argparse.Namespace) -> int:
    from socialmission.github.signing import lock_merged  # noqa: PLC0415
    from socialmission.model.settings import load_settings  # noqa: PLC0415

    root = _root(args)
    number = lock_merged(_github(), _event_path(args), load_settings(root).app_login)
    print(f"locked issue #{number}" if number else "not a merged signature: nothing locked")
    return EXIT_OK


def cmd_delete_signed_branch(args: argparse.Namespace) -> int:
    from socialmission.github.signing import delete_closed_branch  # noqa: PLC0415
    from socialmission.model.settings import load_settings  # noqa: PLC0415

    root = _root(args)
    branch = delete_closed_branch(_github(), _event_path(args), load_settings(root).app_login)
    print(f"deleted the branch {branch}" if branch else
          "not a closed pull request of the registry App: nothing deleted")
    return EXIT_OK


def _login(text: str) -> str:
    """An argparse type: a GitHub login."""
    from socialmission.model.constants import GITHUB_LOGIN_RE  # noqa: PLC0415

    if not GITHUB_LOGIN_RE.match(text):
        raise argparse.ArgumentTypeError(f"must be a GitHub login, not {text!r}")
    return text


def cmd_badges(args: argparse.Namespace) -> int:
    from socialmission.check.problems import render  # noqa: PLC0415
    from socialmission.check.validate import validate  # noqa: PLC0415
    from socialmission.model.settings import base_url, site_url  # noqa: PLC0415
    from socialmission.render.cache import build_badges  # noqa: PLC0415
    from socialmission.render.layout import name_check  # noqa: PLC0415

    root = _root(args)
    mission = load_mission(root)
    base = base_url(args.base_url, "--base-url") if args.base_url else site_url(root)
    report = validate([_shortest(root / PLEDGES_DIR)], mission, name_fits=name_check(root),
                      workers=args.jobs)
    if not report.ok:
        sys.stdout.write(render(report.problems, "text", report.checked))
        print("socialmission: no badges were written: fix the pledges first",
              file=sys.stderr)
        return EXIT_PROBLEMS
    out = Path(args.out) if args.out else root / BADGES_CACHE
    result = build_badges(root, out, mission, report.pledges, base, workers=args.jobs)
    print(f"{out}: {len(result.rendered)} badge folders rendered, {len(result.reused)} "
          f"unchanged, {len(result.removed)} removed")
    return EXIT_OK


def _endpoint(args: argparse.Namespace) -> str | None:
    endpoint: str | None = args.endpoint or None  # empty (an unset CI variable): AWS itself
    if endpoint is not None and (not endpoint.startswith(("https://", "http://"))
                                 or any(ch.isspace() for ch in endpoint)):
        raise UsageError(f"--endpoint must be an http(s) address, such as "
                         f"https://ACCOUNT.r2.cloudflarestorage.com (got {endpoint!r})")
    return endpoint


def cmd_deploy(args: argparse.Namespace) -> int:
    from socialmission.render.cache import load_entries  # noqa: PLC0415
    from socialmission.site.deploy import (  # noqa: PLC0415 - boto3 is slow to import
        S3Store,
        parse_target,
        publish,
        read_plan,
        scan_site,
    )

    target = parse_target(args.to)
    endpoint = _endpoint(args)
    site = Path(args.site) if args.site else _root(args) / SITE_OUT
    local = scan_site(site)
    # what the badge cache rendered, so the bucket's badge state names what it stores
    cache, _ = load_entries(Path(args.badges) if args.badges else _root(args) / BADGES_CACHE)
    planned = read_plan(S3Store(target, endpoint), local, cache)
    for note in planned.notes:
        print(f"socialmission: {note}", file=sys.stderr)
    if args.dry_run:
        for file in [*planned.upload, *planned.verify]:
            print(f"would upload {file.path}")
        print(f"{target}: {len(planned.upload)} to upload, {len(planned.verify)} to check "
              f"first, {len(planned.unchanged)} unchanged, {len(planned.stale)} kept from "
              "earlier builds (nothing is deleted)")
        return EXIT_OK
    result = publish(S3Store(target, endpoint), planned, jobs=args.jobs)
    print(f"{target}: {len(result.uploaded)} uploaded, {len(result.verified)} already there "
          f"(from a stopped deploy), {result.unchanged} unchanged, {len(result.stale)} kept "
          f"from earlier builds ({len(planned.stale_promises)} of them badge or Open Badges "
          "URLs: never deleted)")
    return EXIT_OK


def cmd_badge_state(args: argparse.Namespace) -> int:
    from socialmission.site.deploy import (  # noqa: PLC0415 - boto3 is slow to import
        S3Store,
        parse_target,
        read_badge_state,
    )
    from socialmission.site.published import write_state  # noqa: PLC0415

    target = parse_target(args.source)
    state = read_badge_state(S3Store(target, _endpoint(args)))
    if state.note:
        print(f"socialmission: {state.note}", file=sys.stderr)
    out = Path(args.out) if args.out else _root(args) / PUBLISHED_BADGES
    write_state(out, state.badges)
    print(f"{out}: {len(state.badges)} signatories' badges published in {target}")
    return EXIT_OK


def _event_argument(parser: argparse.ArgumentParser) -> None:
    """--event, for the commands the workflows run on a GitHub event."""
    parser.add_argument("--event", metavar="FILE",
                        help="the event payload (default: $GITHUB_EVENT_PATH)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="socialmission",
        description="Validate a registry's pledges, render badges, publish the registry.",
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0,
                        help="show the version and exit")
    parser.add_argument("--root", help="the registry's folder (default: found from here)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "validate", help="check pledges: every problem, with file, line and fix",
        description="Check pledge files or folders (default: pledges/). Files given alone "
                    "are still compared with every pledge in their folder.")
    check.add_argument("paths", nargs="*", metavar="PATH", help="pledge files or folders")
    check.add_argument("--format", choices=("text", "github", "json"), default="text",
                       help="text (default), GitHub annotations, or JSON for tools")
    check.set_defaults(run=cmd_validate)

    new = commands.add_parser(
        "new", help="write a new pledge from answers to prompts (or from flags)",
        description="Write pledges/<slug>.yaml, checking every answer; never overwrites.")
    from socialmission.changes.new import add_arguments  # noqa: PLC0415

    add_arguments(new)
    new.set_defaults(run=cmd_new)

    _add_lifecycle_commands(commands)

    build = commands.add_parser(
        "build", help="build the whole site strictly, replacing the output only on success",
        description="Validate the pledges, render the badges, generate the pages into "
                    ".build/docs/ and build the site with a site engine (strict: MkDocs "
                    "with Material by default, ProperDocs or Zensical) into a fresh "
                    "folder, then swap it into place: a failed or interrupted build leaves "
                    "the previous output untouched. When no input changed since the last "
                    "build of the output and the output is as it left it, it stops at "
                    "once: up to date.")
    build.add_argument("--out", help=f"output folder (default: {SITE_OUT})")
    build.add_argument("--engine", choices=ENGINES,
                       help=f"the site engine (default: ${ENGINE_VARIABLE} if set, else "
                            f"{DEFAULT}); --engine wins over ${ENGINE_VARIABLE}")
    build.add_argument("--published-badges", metavar="FILE",
                       help="the badge state of the deployment this site is for (from "
                            "'socialmission badge-state'): badges it holds as they are now "
                            "are neither rendered nor put in the site. Only for a deploy to "
                            "that bucket: never for GitHub Pages")
    build.add_argument("--force", action="store_true",
                       help="build even when nothing changed since the last build of the "
                            "output (by default such a build stops at once: up to date)")
    build.set_defaults(run=cmd_build)

    preview = commands.add_parser(
        "serve", help="a live-reloading preview: build again whenever an input changes",
        description="Build the site into .build/preview/ as `build` does (shells filled), "
                    "serve it on 127.0.0.1, and build again whenever a pledge, the mission, "
                    "registry.yaml, mkdocs.yml, site/ or badges/ changes; open pages reload "
                    "once the new build is in place. Stop with Ctrl-C.")
    preview.add_argument("--engine", choices=ENGINES,
                         help=f"the site engine (default: ${ENGINE_VARIABLE} if set, else "
                              f"{DEFAULT}); --engine wins over ${ENGINE_VARIABLE}")
    preview.add_argument("--port", type=int, default=8000, help="default: 8000")
    preview.set_defaults(run=cmd_serve)

    address = commands.add_parser(
        "site-address", help="print site_url; --check-publishable: is it a real address?",
        description="Print the registry's address (site_url in mkdocs.yml). With "
                    "--check-publishable, say whether the site may be published there: "
                    "exit 0 when it may, 1 (with the reason) when it is a placeholder "
                    "under a name reserved for examples and tests (example.org, .com, "
                    ".net; *.example, *.test, *.invalid, localhost), 2 usage error. The "
                    "publish workflows skip their deploy step on 1.")
    address.add_argument("--check-publishable", action="store_true",
                         help="exit 1, saying why, when site_url is a placeholder")
    address.set_defaults(run=cmd_site_address)

    badges = commands.add_parser(
        "badges", help="render every signatory's SVG and PNG badges (incrementally)",
        description="Validate the pledges, then bring the badge folder up to date: only "
                    "signatories whose badges would change are rendered again.")
    badges.add_argument("--out", help=f"output folder (default: {BADGES_CACHE})")
    badges.add_argument("--base-url", help="the registry's public URL (default: site_url "
                                           "in mkdocs.yml)")
    badges.add_argument("--jobs", type=_positive, default=None,
                        help="worker processes (default: one per core)")
    badges.set_defaults(run=cmd_badges)

    deploy = commands.add_parser(
        "deploy", help="upload the built site to an S3 bucket: changed files only",
        description="Upload the built site to s3://BUCKET[/PREFIX] (AWS, or any S3 API at "
                    "--endpoint, such as Cloudflare R2): only files whose content or headers "
                    "changed, with their Content-Type and Cache-Control; nothing is ever "
                    "deleted. The manifest kept in the bucket is written last, so a deploy "
                    "stopped half-way is finished by running it again. Credentials come "
                    "from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or a profile).")
    deploy.add_argument("--to", required=True, metavar="s3://BUCKET[/PREFIX]",
                        help="the bucket, and the folder in it (default: its root)")
    deploy.add_argument("--endpoint", metavar="URL",
                        help="an S3-compatible service's address (default, or empty: AWS)")
    deploy.add_argument("--site", help=f"the built site (default: {SITE_OUT})")
    deploy.add_argument("--jobs", type=_positive, default=UPLOAD_JOBS,
                        help=f"uploads in flight at once (default: {UPLOAD_JOBS})")
    deploy.add_argument("--dry-run", action="store_true",
                        help="say what would be uploaded, and upload nothing")
    deploy.add_argument("--badges", metavar="FOLDER",
                        help=f"the badge cache the site was built from, whose content keys "
                             f"the bucket's badge state records (default: {BADGES_CACHE})")
    deploy.set_defaults(run=cmd_deploy)

    badge_state = commands.add_parser(
        "badge-state", help="fetch the badge state kept beside an S3 deployment",
        description="Read which signatories' badges s3://BUCKET[/PREFIX] holds, and as what "
                    "(the content keys its deploy manifest records), into a file for "
                    "'socialmission build --published-badges': a build with no badge cache "
                    "then renders only the badges that changed.")
    badge_state.add_argument("--from", dest="source", required=True,
                             metavar="s3://BUCKET[/PREFIX]", help="the deployment")
    badge_state.add_argument("--endpoint", metavar="URL",
                             help="an S3-compatible service's address (default, or empty: "
                                  "AWS)")
    badge_state.add_argument("--out", metavar="FILE",
                             help=f"where to write it (default: {PUBLISHED_BADGES})")
    badge_state.set_defaults(run=cmd_badge_state)

    check_pr = commands.add_parser(
        "check-pr", help="judge who may make a pull request's changes (the required verdict)",
        description="Judge the change from the merge base of --base and --head to --head "
                    "against the maintainers on --base's tip, reading the head from git "
                    "objects only (never a checkout). Exit 0 allowed, 1 refused, 2 usage "
                    "error.")
    check_pr.add_argument("--base", required=True, metavar="REV",
                          help="the base branch's tip, such as origin/main")
    check_pr.add_argument("--head", metavar="REV",
                          help="the pull request's head commit (default: the working tree)")
    check_pr.add_argument("--author", required=True, type=_login, metavar="LOGIN",
                          help="the pull request author's GitHub login")
    check_pr.add_argument("--author-id", required=True, type=_positive, metavar="ID",
                          help="the author's numeric GitHub account id")
    check_pr.add_argument("--format", choices=("text", "github", "json"), default="text",
                          help="text (default), GitHub annotations, or JSON for tools")
    check_pr.set_defaults(run=cmd_check_pr)

    verdict = commands.add_parser(
        "verdict", help="judge a pull request event and post the verdict as a check run",
        description="For the trusted pull_request_target job: read the pull request from "
                    "the event (GITHUB_EVENT_PATH), judge its head commit (fetched, never "
                    "checked out) against --base, and post the check run with the token in "
                    "GH_TOKEN (the registry App's) to GITHUB_API_URL for GITHUB_REPOSITORY. "
                    "The head is judged for its author and for the account that pushed it; "
                    "on an edit or a reopening, for the accounts the App's earlier verdicts "
                    "on it recorded (only the check runs of the App whose token the "
                    "workflow made are read). Only a pull request into the default "
                    "branch is judged. With automerge on, the step's outputs "
                    "($GITHUB_OUTPUT) say whether 'socialmission automerge' may run: "
                    "automerge=true|false, pull, sha. Exit 0 allowed, 1 refused, 2 usage "
                    "error.")
    _event_argument(verdict)
    verdict.add_argument("--base", default="HEAD", metavar="REV",
                         help="the base branch's tip (default: HEAD, the trusted checkout)")
    verdict.add_argument("--dry-run", action="store_true",
                         help="print the verdict without posting it")
    verdict.set_defaults(run=cmd_verdict)

    merge = commands.add_parser(
        "automerge", help="merge a pull request the verdict allowed (automerge: true)",
        description="For the verdict workflow's merge step, with a token that may write "
                    "contents: merge pull request --pull at the head commit --sha, after "
                    "reading again that automerge may: 'automerge: true' in the trusted "
                    "checkout's registry.yaml, the pull request open at that commit into "
                    "the default branch, only pledges/ changed (read from git), and the "
                    "App's own newest verdict on the commit a success judged on a push of "
                    "this pull request for its author alone, in the author's own "
                    "repository. Says what was done; "
                    "a merge that is not allowed or that GitHub refuses fails nothing. "
                    "Exit 0, or 2 usage error.")
    merge.add_argument("--pull", required=True, type=_positive, metavar="N",
                       help="the pull request's number")
    merge.add_argument("--sha", required=True, type=_commit_id, metavar="SHA",
                       help="the head commit the verdict judged")
    merge.set_defaults(run=cmd_automerge)

    from_issue = commands.add_parser(
        "from-issue", help="write a pledge from the sign form's issue (signing without git)",
        description="Read the body GitHub wrote for a submitted sign form "
                    "(.github/ISSUE_TEMPLATE/sign.yml; stdin by default), write "
                    "pledges/<slug>.yaml with the submitter as its only maintainer, "
                    "validate it with every other pledge, and print a Markdown comment "
                    "for the issue: the pledge's path, or what to change in the form. "
                    "Exit 0 written, 1 problems (nothing written), "
                    "2 usage error.")
    from_issue.add_argument("--author", required=True, type=_login, metavar="LOGIN",
                            help="the issue author's GitHub login")
    from_issue.add_argument("--author-id", required=True, type=_positive, metavar="ID",
                            help="the issue author's numeric GitHub account id")
    from_issue.add_argument("--body-file", metavar="FILE",
                            help="the issue's body (default: standard input)")
    from_issue.set_defaults(run=cmd_from_issue)

    sign_issue = commands.add_parser(
        "sign-issue", help="for the sign workflow: the issue form's pledge as a pull request",
        description="Read the 'issues' event (GITHUB_EVENT_PATH), write the pledge of a "
                    "'signature' issue as from-issue does, commit it with the registry "
                    "App's token (GH_TOKEN) on the branch sign/issue-<number>, open or update "
                    "its pull request, and comment the outcome on the issue. An event sent "
                    "by anyone but the issue's author, or an issue whose author has an "
                    "earlier signature issue open, is only answered on the issue.")
    _event_argument(sign_issue)
    sign_issue.add_argument("--dry-run", action="store_true",
                            help="print the comment, and call no API (so whether the "
                                 "author has an earlier signature issue open is not "
                                 "checked)")
    sign_issue.set_defaults(run=cmd_sign_issue)

    change_issue = commands.add_parser(
        "change-issue", help="for the sign workflow: a change form's edit as a pull request",
        description="Read the 'issues' event (GITHUB_EVENT_PATH) of an 'Update or withdraw "
                    "my signature' issue (label 'signature-change'), whose author must be a "
                    "maintainer of the pledge by account id; make the update, withdrawal "
                    "or reaffirmation in memory, validate it, commit it with the registry "
                    "App's token (GH_TOKEN) on update/issue-<number>, open or update its "
                    "pull request, and comment the outcome on the issue. An event sent by "
                    "anyone but the issue's author is only answered on the issue.")
    _event_argument(change_issue)
    change_issue.add_argument("--dry-run", action="store_true",
                              help="print the comment, and call no API")
    change_issue.set_defaults(run=cmd_change_issue)

    lock = commands.add_parser(
        "lock-signed-issue", help="for the sign workflow: lock a merged signature's issue",
        description="Read a closed pull request's event and, when it is the registry App's "
                    "merged pull request on sign/issue-<number> or update/issue-<number>, lock "
                    "that issue.")
    _event_argument(lock)
    lock.set_defaults(run=cmd_lock_signed_issue)

    delete_branch = commands.add_parser(
        "delete-signed-branch",
        help="for the sign workflow: delete a closed signature pull request's branch",
        description="Read a closed pull request's event and, when it is the registry App's "
                    "pull request (merged or not) on sign/issue-<number> or "
                    "update/issue-<number> of this repository, delete that branch with "
                    "GH_TOKEN.")
    _event_argument(delete_branch)
    delete_branch.set_defaults(run=cmd_delete_signed_branch)

    verify = commands.add_parser(
        "verify", help="check whether signatories' websites confirm them (never blocks)",
        description="For each signatory (or those named): fetch its announcement (or "
                    "website) for a link to its registry page or badges, its "
                    "proof file /.well-known/<proof_name>.txt, and its DNS TXT "
                    "record _<proof_name>.<domain> (registry.yaml's proof_name), and "
                    "store what answered in .cache/proofs.json for the next build's "
                    "marks. Always exits 0 once the pledges are read: a failed check "
                    "only loses a mark.")
    verify.add_argument("slugs", nargs="*", metavar="SLUG", help="signatories to check "
                                                                 "(default: all)")
    verify.set_defaults(run=cmd_verify)

    issue_form = commands.add_parser(
        "issue-form", help="write the issue forms (.github/ISSUE_TEMPLATE/sign.yml, "
                           "change.yml and report.yml) from the field table, the mission "
                           "and registry.yaml")
    issue_form.add_argument("--check", action="store_true",
                            help="only check that the committed form is up to date")
    issue_form.set_defaults(run=cmd_issue_form)

    schema = commands.add_parser(
        "schema", help="write the JSON Schemas of a pledge and of registry.yaml for the site")
    schema.add_argument("--check", action="store_true",
                        help="only check that the committed schemas are up to date")
    schema.set_defaults(run=cmd_schema)

    template = commands.add_parser(
        "template", help="write pledges/TEMPLATE.yaml.txt from the table of fields")
    template.add_argument("--check", action="store_true",
                          help="only check that the committed template is up to date")
    template.set_defaults(run=cmd_template)

    derived = commands.add_parser(
        "derived", help="write every file derived from the field table, mission.yaml and "
                        "registry.yaml (schemas, template, issue forms), saying which changed",
        description="Write the schemas (site/schema/), the pledge template and the issue "
                    "forms (.github/ISSUE_TEMPLATE/) from the field table, mission.yaml and "
                    "registry.yaml, and print each file that changed (commit it). With "
                    "--check, write nothing and exit 1 naming each stale file.")
    derived.add_argument("--check", action="store_true",
                         help="only check that every committed derived file is up to date")
    derived.set_defaults(run=cmd_derived)
    return parser


def _add_lifecycle_commands(commands: Any) -> None:
    """update, withdraw, reaffirm and redact: in-place edits of one pledge, checked first."""
    edits = ("Edits pledges/SLUG.yaml in place (only the lines it must; comments, order and "
             "quoting stay), validates the result beside the other pledges, and replaces "
             "the file only when it passes. Exit 0 written, 1 refused (nothing written), "
             "2 usage error.")
    update = commands.add_parser(
        "update", help="change fields of a pledge in place (validated first)",
        description=f"Set or remove fields of a pledge. {edits}")
    update.add_argument("slug", metavar="SLUG", help="the pledge's file name without .yaml")
    update.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                        help="set a field (social.NETWORK=URL for a profile; "
                             "maintainers=login:id,login:id); repeatable")
    update.add_argument("--unset", action="append", default=[], metavar="FIELD",
                        help="remove an optional field (or social.NETWORK); repeatable")
    update.set_defaults(run=cmd_update)

    withdraw = commands.add_parser(
        "withdraw", help="withdraw a signature: the file stays, the badges say so",
        description=f"Set status: withdrawn, the date and the reason. {edits}")
    withdraw.add_argument("slug", metavar="SLUG", help="the pledge's file name without .yaml")
    withdraw.add_argument("--reason", required=True, metavar="TEXT",
                          help="why, in a sentence (published)")
    withdraw.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    withdraw.set_defaults(run=cmd_withdraw)

    reaffirm = commands.add_parser(
        "reaffirm", help="move a pledge to the current (or a given) mission version",
        description=f"Add a reaffirmation, keeping the original signing date and version. "
                    f"{edits}")
    reaffirm.add_argument("slug", metavar="SLUG", help="the pledge's file name without .yaml")
    reaffirm.add_argument("--version", type=_positive, metavar="N",
                          help="the mission version (default: the current one)")
    reaffirm.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    reaffirm.set_defaults(run=cmd_reaffirm)

    redact = commands.add_parser(
        "redact", help="registry maintainers: keep only a tombstone of a withdrawn pledge",
        description="For legal or abuse requests: remove a withdrawn pledge's personal "
                    "data, reason and comments, and its logo file, keeping its dates and "
                    f"versions and a note that it was redacted. {edits} The pull request's "
                    "verdict refuses a redaction by anyone but a registry maintainer.")
    redact.add_argument("slug", metavar="SLUG", help="the pledge's file name without .yaml")
    redact.add_argument("--reason", required=True, metavar="TEXT",
                        help="the request's grounds, for the commit message (not kept in "
                             "the pledge)")
    redact.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    redact.set_defaults(run=cmd_redact)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except UsageError as error:
        print(f"socialmission: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("socialmission: interrupted", file=sys.stderr)
        return 130
    return code
