"""Cleaning the values every format shares: text fields, placeholders, chassis types, MAC addresses.

Firmware fills unset fields with placeholders ("To Be Filled By O.E.M.", "System Product Name", "Type1 - TBD
by OEM", "Default string"). They are treated as missing, never as a model or a maker.
"""

from __future__ import annotations

import re
from typing import Final

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")

_PLACEHOLDER_KEYS: Final = frozenset(
    {
        "",
        "0",
        "00",
        "x",
        "xx",
        "xxx",
        "na",
        "none",
        "null",
        "nil",
        "empty",
        "oem",
        "default",
        "defaultstring",
        "unknown",
        "invalid",
        "notspecified",
        "notapplicable",
        "notavailable",
        "notset",
        "notprovided",
        "tbd",
        "tbdbyoem",
        "filledbyoem",
        "fillbyoem",
        "oemproductname",
        "productname",
        "sku",
        "skunumber",
        "systemname",
        "systemproductname",
        "systemversion",
        "systemmanufacturer",
        "systemserialnumber",
        "chassismanufacture",
        "chassismanufacturer",
        "chassisversion",
        "baseboardproductname",
        "baseboardmanufacturer",
        "allseries",
        "removed",
    }
)
_PLACEHOLDER_PREFIXES: Final = ("tobefilledby", "type1", "type2", "type3")

_CHASSIS_TYPES: Final = {
    "laptop": {"portable", "laptop", "notebook", "subnotebook", "convertible", "detachable", "netbook"},
    "desktop": {
        "desktop",
        "lowprofiledesktop",
        "lowprofile",
        "pizzabox",
        "minitower",
        "microtower",
        "tower",
        "spacesaving",
        "lunchbox",
        "minipc",
        "mini",
        "stickpc",
        "stick",
        "sealedcasepc",
        "sealed",
    },
    "all_in_one": {"allinone"},
    "tablet": {"tablet"},
    "phone": {"smartphone", "cellphone", "mobilephone", "phone"},
    "other": {
        "handheld",
        "server",
        "mainserverchassis",
        "rackmountchassis",
        "rackmount",
        "blade",
        "bladeenclosure",
        "bladeenclosing",
        "multisystem",
        "multisystemchassis",
        "embeddedpc",
        "embedded",
        "iotgateway",
        "expansionchassis",
        "subchassis",
        "sub",
        "busexpansionchassis",
        "peripheralchassis",
        "raidchassis",
        "compactpci",
        "advancedtca",
    },
}
_UNKNOWN_CHASSIS: Final = frozenset({"", "other", "unknown", "unspecified", "undefined", "notspecified"})
_DOCK_CHASSIS: Final = frozenset({"docking", "dockingstation"})

_MAC_SEPARATED = re.compile(
    r"^([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})$"
)
_MAC_BARE = re.compile(r"^(?:[0-9a-f]{12}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})$")
_NO_MAC: Final = frozenset({"00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"})

_VIRTUAL_INTERFACE = re.compile(
    r"^(lo|docker\d*|br-[0-9a-f]+|virbr\d+(-nic)?|vnet\d+|veth\w*|tun\d+|tap\w*|wg\d+|lxcbr\d+|lxdbr\d+"
    r"|vboxnet\d+|vmnet\d+|zt\w+|tailscale\d+|dummy\d+|bond\d+|team\d+|ifb\d+|sit\d+|ip6tnl\d+|gre\w*"
    r"|vxlan\w*|cni\d+|flannel\.\d+|kube-\w+|podman\d+|cilium_\w+|macvtap\d+|macvlan\d+|ppp\d+|wwan\d+)$"
)
_VIRTUAL_DRIVERS: Final = frozenset(
    {
        "bridge",
        "veth",
        "tun",
        "dummy",
        "vxlan",
        "macvlan",
        "macvtap",
        "ipvlan",
        "wireguard",
        "bonding",
        "openvswitch",
        "team",
        "vrf",
        "ifb",
        "gre",
        "sit",
        "ip6_tunnel",
        "ipip",
        "loopback",
    }
)

_HYPERVISOR_MARKERS: Final = (
    ("qemu", "QEMU/KVM"),
    ("kvm", "KVM"),
    ("virtualbox", "VirtualBox"),
    ("innotek", "VirtualBox"),
    ("vmware", "VMware"),
    ("bochs", "Bochs"),
    ("parallels", "Parallels"),
    ("virtual machine", "a hypervisor"),
    ("standard pc (", "QEMU/KVM"),
    ("amazon ec2", "Amazon EC2"),
    ("google compute engine", "Google Compute Engine"),
    ("openstack", "OpenStack"),
    ("hvm domu", "Xen"),
    ("xen", "Xen"),
)


def clean_text(raw: object) -> str | None:
    """The value as one trimmed line of printable text, or None when empty or not text."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        raw = str(raw)
    if not isinstance(raw, str):
        return None
    text = "".join(ch for ch in raw if ch.isprintable() or ch.isspace())
    text = _SPACES.sub(" ", text).strip()
    return text or None


def text_key(text: str) -> str:
    """Case- and punctuation-free key: "To Be Filled By O.E.M." -> "tobefilledbyoem"."""
    return _NON_ALNUM.sub("", text.lower())


def is_placeholder(text: str | None) -> bool:
    """Whether firmware left this field unset ("Not Specified", "System Product Name", "Type1 - TBD by OEM")."""
    if text is None:
        return True
    key = text_key(text)
    return key in _PLACEHOLDER_KEYS or key.startswith(_PLACEHOLDER_PREFIXES) or set(key) <= {"0"}


def meaningful(raw: object) -> str | None:
    """Clean text that is not a placeholder, else None."""
    text = clean_text(raw)
    return None if is_placeholder(text) else text


def chassis_device_type(raw: str | None, *, source: str) -> tuple[str | None, str | None]:
    """Map a chassis/form-factor name to a device type.

    Args:
        raw: SMBIOS chassis type ("Notebook", "Mini Tower", "All In One"), lshw's `configuration.chassis`
            ("notebook", "mini-tower") or an eReuse type/chassis ("Netbook", "Microtower").
        source: Where it came from, for the warning ("DMI chassis type").

    Returns:
        (device_type or None, warning or None). Unknown or "Other" gives None and a warning; a guess is never made.
    """
    text = clean_text(raw)
    key = text_key(text or "")
    if key in _UNKNOWN_CHASSIS:
        shown = f"'{text}'" if text else "missing"
        return None, f"The {source} is {shown}, so the device type is unknown: set it by hand."
    if key in _DOCK_CHASSIS:
        return None, f"The {source} is '{text}' (a dock, not a computer), so the device type is unknown."
    for device_type, keys in _CHASSIS_TYPES.items():
        if key in keys:
            return device_type, None
    return None, f"Unrecognised {source} '{text}', so the device type is unknown: set it by hand."


def normalise_mac(raw: object) -> str | None:
    """MAC address in lower-case colon form, or None when it is not a usable 48-bit MAC."""
    text = clean_text(raw)
    if text is None:
        return None
    text = text.lower()
    match = _MAC_SEPARATED.match(text)
    if match:
        mac = ":".join(match.groups())
    elif _MAC_BARE.match(text):
        digits = text.replace(".", "")
        mac = ":".join(digits[i : i + 2] for i in range(0, 12, 2))
    else:
        return None
    return None if mac in _NO_MAC else mac


def is_virtual_interface(name: object = None, driver: object = None) -> bool:
    """Whether an interface is software-made (docker0, br-…, veth…, virbr0, lo) rather than a network card."""
    name_text = clean_text(name)
    driver_text = clean_text(driver)
    if name_text and _VIRTUAL_INTERFACE.match(name_text):
        return True
    return bool(driver_text and driver_text.lower() in _VIRTUAL_DRIVERS)


def hypervisor_in(*texts: object) -> str | None:
    """Name of the hypervisor if any of the texts (maker, product, board) says this is a virtual machine."""
    for raw in texts:
        text = (clean_text(raw) or "").lower()
        for marker, name in _HYPERVISOR_MARKERS:
            if marker == "xen":
                if re.search(r"\bxen\b", text):
                    return name
            elif marker in text:
                return name
    return None
