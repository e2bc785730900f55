"""`reexport user add` and `reexport web`: staff accounts and the web screens alone."""
from __future__ import annotations

import sys

import typer


def user_add(
    username: str = typer.Argument(..., help="Sign-in name, e.g. a.seitkali."),
    role: str = typer.Option(..., "--role", help="clerk | reviewer | head"),
    full_name: str = typer.Option(..., "--name", help="Full name as shown on screens and in the audit."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
) -> None:
    """Create a staff account (or reset its password and role). The password is asked for, or read
    from standard input with --password-stdin; never given as an argument.

    Example: reexport user add a.seitkali --role reviewer --name "Сейтқали Айгерім"
    """
    from sqlalchemy import select

    from flows.files import data_home
    from models.store import Event, StaffUser, open_store
    from web.guards import ROLES  # here, not at the top: `reexport extract` need not load the store
    from web.security import hash_password, password_problem

    if role not in ROLES:
        typer.echo(f"user add: role must be one of {', '.join(ROLES)}", err=True)
        raise typer.Exit(2)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    problem = password_problem(password)
    if problem:
        typer.echo(f"user add: the password must have {problem}", err=True)
        raise typer.Exit(2)
    store = open_store(home=data_home())
    try:
        with store.session() as s:
            user = s.scalar(select(StaffUser).where(StaffUser.username == username))
            created = user is None
            if created:
                user = StaffUser(username=username, full_name=full_name, role=role, password_hash="")
                s.add(user)
            user.full_name, user.role, user.active = full_name, role, True
            user.password_hash = hash_password(password)
            s.add(Event(kind="staff.created" if created else "staff.updated", actor="cli",
                        detail={"username": username, "role": role}))
    finally:
        store.close()
    typer.echo(f"{'Created' if created else 'Updated'} {role} {username}.", err=True)


def web(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
) -> None:
    """Serve the web screens alone (no inbox watcher, no Prefect): decisions are signed in this
    process. Plain HTTP on 127.0.0.1; put a TLS proxy in front for anything else.

    Example: reexport web --port 8000
    """
    import uvicorn

    from flows.files import data_home
    from web.app import create_app

    uvicorn.run(create_app(data_home()), host=host, port=port, log_level="warning")
