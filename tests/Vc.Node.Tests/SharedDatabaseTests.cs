using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Vc.Agent.Storage;
using Vc.Did.Ledger;

namespace Vc.Node.Tests;

/// <summary>
/// Node processes over one database, as replicas behind a load balancer: one Anvil for all (--rpc), each node its own
/// --data, one shared --db and --public-url, one master key from the environment.
/// </summary>
[Collection("postgres")]
public sealed class SharedDatabaseTests(PostgresServer postgres) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vchealth-shared-").FullName;
    private const string PublicUrl = "https://vchealth.example";

    private static readonly JsonObject Credential = JsonNode.Parse("""
        {"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
         "type":["VerifiableCredential","ExampleAlumniCredential"],"validFrom":"2025-01-01T00:00:00Z",
         "credentialSubject":{"id":"did:example:holder","alumniOf":"Example University"}}
        """)!.AsObject();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Dictionary<string, string> Environment() => new()
    {
        ["VCHEALTH_MASTER_KEY"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
    };

    private static string[] Common(string data, string? db, AnvilProcess chain) =>
        [.. (string[])["--data", data, "--rpc", chain.RpcUrl.ToString(), "--public-url", PublicUrl], .. db is null ? [] : (string[])["--db", db]];

    /// <summary>An issuer and an all-scopes API key, made with the CLI on the database the nodes will use.</summary>
    private static async Task<string> SetUpIssuerAsync(Dictionary<string, string> env, string[] common, string method = "key")
    {
        var created = await NodeProcess.CliAsync(env, ["issuer", "create", "moh", "--method", method, .. common]);
        Assert.True(created.Code == 0, created.Err);
        var key = await NodeProcess.CliAsync(env, ["apikey", "create", "--scopes", "all", .. common]);
        Assert.True(key.Code == 0, key.Err);
        return (string)JsonNode.Parse(key.Out)!["key"]!;
    }

    private static JsonContent IssueBody(bool withStatus = true) => JsonContent.Create(new JsonObject
    {
        ["credential"] = Credential.DeepClone(), ["options"] = new JsonObject { ["credentialStatus"] = withStatus },
    });

    private static int IndexOf(JsonObject vc) => int.Parse(vc["credentialStatus"]!["statusListIndex"]!.ToString());

    /// <summary>Issues <paramref name="count"/> credentials with a revocation entry, <paramref name="concurrency"/> requests at a time.</summary>
    private static async Task<List<JsonObject>> IssueAsync(NodeProcess node, int count, int concurrency)
    {
        var issued = new ConcurrentBag<JsonObject>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                using var response = await node.Http.PostAsync("/issuers/moh/credentials/issue", IssueBody());
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.Created, body);
                issued.Add((JsonObject)JsonNode.Parse(body)!["verifiableCredential"]!);
            }
        }));
        return [.. issued];
    }

    private static async Task<JsonObject> VerifyAsync(NodeProcess node, JsonObject vc)
    {
        using var response = await node.Http.PostAsync("/credentials/verify", JsonContent.Create(new JsonObject { ["verifiableCredential"] = vc.DeepClone() }));
        return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static bool Verified(JsonObject answer) => answer["verified"]?.GetValue<bool>() == true;

    private static async Task ForEachAsync<T>(IEnumerable<T> items, int concurrency, Func<T, Task> action)
    {
        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync();
            try { await action(item); } finally { gate.Release(); }
        }));
    }

    private static async Task<(long Logged, long Distinct, long Allocated, HashSet<int> Indexes)> InspectAsync(string data, string? db)
    {
        await using var store = await NodeStore.OpenAsync(data, database: db);
        await using var c = await store.OpenConnectionAsync();
        async Task<long> Scalar(string sql) { await using var cmd = c.CreateCommand(); cmd.CommandText = sql; return Convert.ToInt64(await cmd.ExecuteScalarAsync()); }
        var indexes = new HashSet<int>();
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT status_index FROM issuance_log WHERE status_list_id = 'moh-revocation-1'";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) indexes.Add(r.GetInt32(0));
        }
        return (await Scalar("SELECT COUNT(*) FROM issuance_log WHERE status_list_id = 'moh-revocation-1'"),
            await Scalar("SELECT COUNT(DISTINCT status_index) FROM issuance_log WHERE status_list_id = 'moh-revocation-1'"),
            await Scalar("SELECT next_index FROM status_lists WHERE id = 'moh-revocation-1'"), indexes);
    }

    [Fact]
    public async Task Three_nodes_on_one_postgres_database_issue_in_parallel_without_reusing_an_index_and_see_each_others_revocations()
    {
        var db = await postgres.CreateDatabaseAsync("multi");
        await using var chain = await AnvilProcess.StartAsync(new AnvilOptions());
        var env = Environment();
        var apiKey = await SetUpIssuerAsync(env, Common(Path.Combine(_dir, "cli"), db, chain));
        var nodes = await Task.WhenAll(new[] { "a", "b", "c" }.Select(n => NodeProcess.StartAsync(apiKey, env, Common(Path.Combine(_dir, n), db, chain))));
        try
        {
            // 3 × 2,000 credentials with status entries, the three nodes at once.
            var all = (await Task.WhenAll(nodes.Select(n => IssueAsync(n, 2000, 8)))).SelectMany(x => x).ToArray();
            Assert.Equal(6000, all.Length);
            Assert.Equal(6000, all.Select(IndexOf).Distinct().Count());
            var (logged, distinct, allocated, indexes) = await InspectAsync(Path.Combine(_dir, "cli"), db);
            Assert.Equal((6000L, 6000L, 6000L), (logged, distinct, allocated));
            Assert.True(indexes.SetEquals(all.Select(IndexOf)));

            // Every credential verifies through every node (each reads the shared status list).
            foreach (var node in nodes)
                await ForEachAsync(all, 8, async vc =>
                {
                    var answer = await VerifyAsync(node, vc);
                    Assert.True(Verified(answer), $"{node.BaseUrl}: {answer.ToJsonString()}");
                });

            // A revocation through node A is seen by B and C at their next verification.
            using (var revoke = await nodes[0].Http.PostAsync("/credentials/status", JsonContent.Create(new JsonObject { ["verifiableCredential"] = all[0].DeepClone() })))
                Assert.True(revoke.IsSuccessStatusCode, await revoke.Content.ReadAsStringAsync());
            foreach (var node in nodes)
            {
                var answer = await VerifyAsync(node, all[0]);
                Assert.False(Verified(answer));
                Assert.Contains("revoked", answer.ToJsonString(), StringComparison.OrdinalIgnoreCase);
                Assert.True(Verified(await VerifyAsync(node, all[1])));
            }

            // The CLI works on the same database: it lists the issuer, revokes a credential the nodes then refuse.
            var cli = Common(Path.Combine(_dir, "cli"), db, chain);
            var list = await NodeProcess.CliAsync(env, ["issuer", "list", .. cli]);
            Assert.True(list.Code == 0, list.Err);
            Assert.Contains("\"moh\"", list.Out);
            var file = Path.Combine(_dir, "vc1.json");
            await File.WriteAllTextAsync(file, all[1].ToJsonString());
            var status = await NodeProcess.CliAsync(env, ["vc", "status", file, .. cli]);
            Assert.True(status.Code == 0, status.Err);
            var verify = await NodeProcess.CliAsync(env, ["vc", "verify", file, .. cli]);
            Assert.Equal(1, verify.Code);
            foreach (var node in nodes) Assert.False(Verified(await VerifyAsync(node, all[1])));
            Assert.True(Verified(await VerifyAsync(nodes[2], all[2])));
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    /// <summary>
    /// A node signs from the API key and issuer key it read before (no read per request); the transaction that logs an
    /// issuance reads both again, so a change made through another node or the CLI takes effect at once everywhere.
    /// </summary>
    [Fact]
    public async Task A_key_rotated_through_one_node_is_signed_with_by_the_other_at_once_and_a_revoked_api_key_is_refused_by_all()
    {
        var db = await postgres.CreateDatabaseAsync("basis");
        await using var chain = await AnvilProcess.StartAsync(new AnvilOptions());
        var env = Environment();
        var cli = Common(Path.Combine(_dir, "cli"), db, chain);
        // One DID registry for all: deployed once (the first development account pays), named to every node.
        var keyFile = Path.Combine(_dir, "deployer.key");
        await File.WriteAllTextAsync(keyFile, TestEnvironment.DevAccountKey);
        var deploy = await NodeProcess.CliAsync(env, ["ledger", "deploy", "--key", keyFile, .. cli]);
        Assert.True(deploy.Code == 0, deploy.Err);
        var registry = (string)JsonNode.Parse(deploy.Out)!["ethereumDIDRegistry"]!["address"]!;
        cli = [.. cli, "--registry", registry];
        var apiKey = await SetUpIssuerAsync(env, cli, method: "ethr");
        var nodes = await Task.WhenAll(new[] { "a", "b" }.Select(n =>
            NodeProcess.StartAsync(apiKey, env, [.. Common(Path.Combine(_dir, n), db, chain), "--registry", registry])));
        try
        {
            static async Task<(HttpStatusCode Status, JsonObject Body)> Issue(NodeProcess node, bool withStatus)
            {
                using var response = await node.Http.PostAsync("/issuers/moh/credentials/issue", IssueBody(withStatus));
                return (response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
            }
            static string SignedWith(JsonObject answer) => (string)answer["verifiableCredential"]!["proof"]!["verificationMethod"]!;

            var before = await Issue(nodes[1], withStatus: true); // node B now holds both keys as read
            Assert.True(before.Status == HttpStatusCode.Created, before.Body.ToJsonString());
            using (var rotate = await nodes[0].Http.PostAsync("/issuers/moh/keys/rotate", JsonContent.Create(new JsonObject { ["overlapSeconds"] = 0 })))
            {
                var profile = JsonNode.Parse(await rotate.Content.ReadAsStringAsync())!;
                Assert.True(rotate.IsSuccessStatusCode, profile.ToJsonString());
                var rotatedTo = (string)profile["verificationMethod"]!;
                Assert.NotEqual(SignedWith(before.Body), rotatedTo);
                foreach (var withStatus in new[] { true, false })
                {
                    var after = await Issue(nodes[1], withStatus);
                    Assert.True(after.Status == HttpStatusCode.Created, after.Body.ToJsonString());
                    Assert.Equal(rotatedTo, SignedWith(after.Body));
                }
            }

            var revoke = await NodeProcess.CliAsync(env, ["apikey", "revoke", apiKey.Split('_')[1], .. cli]);
            Assert.True(revoke.Code == 0, revoke.Err);
            foreach (var node in nodes)
                foreach (var withStatus in new[] { true, false })
                {
                    var refused = await Issue(node, withStatus);
                    Assert.True(refused.Status == HttpStatusCode.Unauthorized, refused.Body.ToJsonString());
                }
            var (logged, _, allocated, _) = await InspectAsync(Path.Combine(_dir, "cli"), db);
            Assert.Equal((2L, 2L), (logged, allocated)); // the refused issuances logged nothing
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_node_killed_during_a_load_run_loses_nothing_it_answered_201(string backend)
    {
        var db = backend == "postgres" ? await postgres.CreateDatabaseAsync("crash") : null;
        var data = Path.Combine(_dir, "node");
        await using var chain = await AnvilProcess.StartAsync(new AnvilOptions());
        var env = Environment();
        var apiKey = await SetUpIssuerAsync(env, Common(data, db, chain));
        var answered = new ConcurrentBag<JsonObject>();
        var node = await NodeProcess.StartAsync(apiKey, env, Common(data, db, chain));
        try
        {
            // 16 connections issue as fast as they can; the node is killed (SIGKILL) once 400 have been answered.
            using var enough = new SemaphoreSlim(0);
            var loops = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                while (true)
                {
                    HttpResponseMessage response;
                    try { response = await node.Http.PostAsync("/issuers/moh/credentials/issue", IssueBody()); }
                    catch (HttpRequestException) { return; } // the node is gone
                    catch (TaskCanceledException) { return; }
                    using (response)
                    {
                        string body;
                        try { body = await response.Content.ReadAsStringAsync(); }
                        catch (HttpRequestException) { return; }
                        if (response.StatusCode != HttpStatusCode.Created) return;
                        answered.Add((JsonObject)JsonNode.Parse(body)!["verifiableCredential"]!);
                        if (answered.Count == 400) enough.Release();
                    }
                }
            })).ToArray();
            await enough.WaitAsync();
            await node.KillAsync();
            await Task.WhenAll(loops);
        }
        finally { await node.DisposeAsync(); }

        Assert.True(answered.Count >= 400);
        var (logged, distinct, allocated, indexes) = await InspectAsync(data, db);
        Assert.Equal(logged, distinct);   // no index handed out twice
        Assert.Equal(logged, allocated);  // the list's count matches its log
        Assert.All(answered, vc => Assert.Contains(IndexOf(vc), indexes)); // every 201 was durable before it was sent

        // After a restart every answered credential verifies, and issuance carries on with fresh indexes.
        await using var restarted = await NodeProcess.StartAsync(apiKey, env, Common(data, db, chain));
        await ForEachAsync(answered, 8, async vc =>
        {
            var answer = await VerifyAsync(restarted, vc);
            Assert.True(Verified(answer), answer.ToJsonString());
        });
        var more = await IssueAsync(restarted, 50, 4);
        Assert.DoesNotContain(more, vc => indexes.Contains(IndexOf(vc)));
        Assert.Equal(logged + 50, (await InspectAsync(data, db)).Distinct);
    }
}
