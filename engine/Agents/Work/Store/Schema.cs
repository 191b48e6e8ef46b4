namespace Engine.Agents.Work.Store;

/// <summary>
/// The database's schema, one migration per version; <c>PRAGMA user_version</c> records how far a
/// database has come. A migration is only ever added, never edited once released.
/// </summary>
internal static class Schema
{
    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE control (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            paused INTEGER NOT NULL DEFAULT 0,
            pause_reason TEXT,
            paused_at TEXT,
            failures_in_a_row INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO control (id) VALUES (1);

        CREATE TABLE cycles (
            id INTEGER PRIMARY KEY,
            trigger TEXT NOT NULL,
            state TEXT NOT NULL,
            started TEXT NOT NULL,
            ended TEXT,
            heartbeat TEXT NOT NULL,
            pid INTEGER NOT NULL,
            pid_start INTEGER,
            marker TEXT NOT NULL,
            plan_text TEXT,
            planned INTEGER NOT NULL DEFAULT 0,
            merged INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            message TEXT
        );

        CREATE TABLE tasks (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            description TEXT,
            type TEXT,
            state TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            origin_cycle INTEGER REFERENCES cycles (id),
            cycle INTEGER REFERENCES cycles (id),
            attempts INTEGER NOT NULL DEFAULT 0,
            message TEXT,
            base_commit TEXT,
            head_commit TEXT,
            merged_commit TEXT,
            started TEXT,
            finished TEXT,
            summary TEXT,
            diff_stat TEXT,
            verdict TEXT,
            reasons TEXT,
            gate_output TEXT
        );
        CREATE INDEX tasks_state ON tasks (state);

        CREATE TABLE task_deps (
            task INTEGER NOT NULL REFERENCES tasks (id),
            depends_on INTEGER NOT NULL REFERENCES tasks (id),
            PRIMARY KEY (task, depends_on)
        );

        CREATE TABLE task_events (
            id INTEGER PRIMARY KEY,
            task INTEGER NOT NULL REFERENCES tasks (id),
            at TEXT NOT NULL,
            state TEXT NOT NULL,
            note TEXT
        );
        CREATE INDEX task_events_task ON task_events (task);

        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            cycle INTEGER NOT NULL REFERENCES cycles (id),
            task INTEGER REFERENCES tasks (id),
            role TEXT NOT NULL,
            backend TEXT NOT NULL,
            model TEXT,
            day TEXT NOT NULL,
            started TEXT NOT NULL,
            ended TEXT,
            heartbeat TEXT,
            pid INTEGER,
            pid_start INTEGER,
            marker TEXT NOT NULL,
            outcome TEXT NOT NULL,
            error TEXT,
            cost_usd REAL,
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            cache_read_tokens INTEGER NOT NULL DEFAULT 0,
            cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
            turns INTEGER,
            session_id TEXT
        );
        CREATE INDEX runs_task ON runs (task);
        CREATE INDEX runs_day ON runs (day);
        """,
    ];

    public static int Version => Migrations.Count;
}
