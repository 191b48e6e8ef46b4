using System.Globalization;
using Engine.Agents.Commands;
using Microsoft.Data.Sqlite;

namespace Engine.Agents.Work.Store;

/// <summary>
/// The one SQLite file of a project's work state. WAL, so readers (status, tasks) never wait for a
/// cycle and a cycle never waits for them; every write is one immediate transaction; the schema is
/// migrated forward on open. One connection, used by one thread at a time.
/// </summary>
internal sealed class WorkDatabase : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    public string Path { get; }

    private WorkDatabase(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
    }

    public static WorkDatabase Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
            var database = new WorkDatabase(path, connection);
            database.Migrate();
            return database;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Migrate()
    {
        var version = Convert.ToInt32(Scalar("PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (version > Schema.Version)
            throw new CommandFailedException(
                $"{Path} was written by a newer engine (schema {version}; this engine knows {Schema.Version}); update the engine");
        if (version == Schema.Version)
            return;
        Write(transaction =>
        {
            // Checked again inside the transaction: another process may have migrated meanwhile.
            var now = Convert.ToInt32(Scalar("PRAGMA user_version", transaction), CultureInfo.InvariantCulture);
            for (var next = now; next < Schema.Version; next++)
                Execute(_connection, Schema.Migrations[next], transaction);
            Execute(_connection, $"PRAGMA user_version = {Schema.Version}", transaction);
            return 0;
        });
    }

    /// <summary>Runs <paramref name="work"/> in one immediate transaction: all of it is written, or none.</summary>
    public T Write<T>(Func<SqliteTransaction, T> work)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            var result = work(transaction);
            transaction.Commit();
            return result;
        }
    }

    public T Read<T>(Func<SqliteConnection, T> read)
    {
        lock (_gate)
            return read(_connection);
    }

    public SqliteCommand Command(string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public object? Scalar(string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, transaction, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public int Execute(string sql, SqliteTransaction? transaction, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, transaction, parameters);
        return command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();
}
