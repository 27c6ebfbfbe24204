"""Tamper-evident ledger: RFC 6962 Merkle tree, signed tree heads and an offline verifier."""
