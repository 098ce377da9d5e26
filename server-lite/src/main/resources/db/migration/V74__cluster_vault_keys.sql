-- Several server nodes on one database (issue 10): the vault public keys of the cluster. Every node
-- holds the private halves in its own DIR/vault/ (never in the database); at start a node checks
-- that it holds exactly these (a node whose vault was made on its own, or not copied after a
-- 'vault rotate', would seal or fail to open what the others escrow) and adds a key of its own the
-- cluster does not know yet (the first node; the node a rotation was run on). Portable SQL; the
-- embedded SQLite database, one process, leaves it empty.
CREATE TABLE cluster_vault_keys (
    key_id     TEXT    PRIMARY KEY,
    public_key TEXT    NOT NULL,
    added_at   INTEGER NOT NULL
);
