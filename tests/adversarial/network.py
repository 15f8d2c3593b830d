"""Opens a connection to a listener on 127.0.0.1 (opened by the test itself)."""
BASE = "reference"
ROOT_ONLY = True
EXPECT_PASS = ["1.1", "1.3", "2.1", "6.3", "7.1"]
ATTACK = '''import socket
try:
    with socket.create_connection(("127.0.0.1", @PORT@), timeout=2) as _connection:
        _connection.sendall(b"exfiltrated")
except OSError as _exc:
    print("network blocked:", type(_exc).__name__)
'''
