"""A process that stays (a notebook, a script's loop, `ketcli mcp`) keeps no garbage for good.

Loading a dataset pauses the cyclic collector and, in the one-shot CLI only, freezes what
it built (data/cache.py): a freeze in a process that stays would also keep whatever cyclic
garbage exists at that moment until the process ends, one load after another."""

import gc
import weakref

import ketcli


class Node:
    pass


def cyclic_garbage() -> weakref.ref:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_garbage_present_while_the_api_loads_a_dataset_is_still_collected():
    gc.collect()
    assert gc.get_freeze_count() == 0, "an earlier test left objects frozen"
    alive = cyclic_garbage()
    was = gc.isenabled()
    gc.disable()  # so the cycle is still there when the loads run
    try:
        for _ in range(3):
            dataset = ketcli.open()
            dataset.compare(["ketamine", "ect"])
            dataset.search("how quickly does ketamine start working")
            dataset.cite()
    finally:
        if was:
            gc.enable()
    gc.collect()
    assert alive() is None
    assert gc.get_freeze_count() == 0
