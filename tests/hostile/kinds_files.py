"""The file system: special files, permissions, links and loops, odd file names."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from ..conftest import write
from .corpus import (
    Context,
    Hostile,
    Writer,
    dated,
    expect,
    kind,
    rejected,
    stored,
    story,
)

# -- special files, permissions, loops ---------------------------------------------------


@kind("special-fifo.txt")
def _fifo(path: Path, ctx: Context) -> Hostile:
    os.mkfifo(path)
    return expect(rejected("W011"))  # never opened: opening a FIFO blocks


@kind("special-socket.txt")
def _socket(path: Path, ctx: Context) -> Hostile:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))  # the socket file stays after the socket is closed
    return expect(rejected("W011"))


def _device(target: str) -> Writer:
    def writer(path: Path, ctx: Context) -> Hostile:
        os.symlink(target, path)
        return expect(rejected("W011"))

    return writer


kind("special-dev-zero.txt")(_device("/dev/zero"))
kind("special-dev-urandom.jsonl.gz")(_device("/dev/urandom"))
kind("special-dev-null.csv")(_device("/dev/null"))


def _locked(mode: int, *, folder: bool, rejections: int = 1) -> Writer:
    def writer(path: Path, ctx: Context) -> Hostile:
        target = path / "inside.txt" if folder else path
        write(target, dated(story(path.name)))
        os.chmod(path, mode)
        if ctx.can_lock:
            return expect(rejected("W010", rejections))
        # Root reads any file whatever its mode, when it could not be made to obey it.
        return expect(stored(), why="root reads a file whatever its mode")

    return writer


kind("perm-file-000.txt")(_locked(0o000, folder=False))
kind("perm-file-write-only.txt")(_locked(0o200, folder=False))
kind("perm-folder-000")(_locked(0o000, folder=True))  # W010: cannot list the folder
kind("perm-folder-no-search")(_locked(0o444, folder=True))  # listed, its file not opened


@kind("loop-self-link.txt")
def _self_link(path: Path, ctx: Context) -> Hostile:
    os.symlink(path.name, path)
    return expect(rejected("W010"))  # ELOOP


@kind("loop-link-pair")
def _link_pair(path: Path, ctx: Context) -> Hostile:
    path.mkdir()
    os.symlink("b.txt", path / "a.txt")
    os.symlink("a.txt", path / "b.txt")
    return expect(rejected("W010", 2))


@kind("loop-folder")
def _folder_loop(path: Path, ctx: Context) -> Hostile:
    write(path / "a.txt", dated(story("loop folder")))
    os.symlink(".", path / "b-again")
    return expect(stored(1, W012=1))


@kind("loop-deep-folder")
def _deep_loop(path: Path, ctx: Context) -> Hostile:
    deep = path / "a" / "b" / "c"
    write(deep / "x.txt", dated(story("deep loop")))
    os.symlink("../../..", deep / "up")
    return expect(stored(1, W012=1))


@kind("link-dangling.txt")
def _dangling(path: Path, ctx: Context) -> Hostile:
    os.symlink(path.parent / "nowhere" / "gone.txt", path)
    return expect(rejected("W010"))


# -- file names --------------------------------------------------------------------------


def _named(name: bytes) -> Writer:
    def writer(path: Path, ctx: Context) -> Hostile:
        write(path / os.fsdecode(name), dated(story(path.name)))
        return expect(stored())

    return writer


kind("name-not-utf8")(_named(b"bad-\xff\xfe.txt"))  # issue 20 (5): stored, escaped
kind("name-newline")(_named(b"a\nb\r.txt"))
kind("name-255-bytes")(_named(b"n" * 251 + b".txt"))
kind("name-dash-first")(_named(b"-rf .txt"))
