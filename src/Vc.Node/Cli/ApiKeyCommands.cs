using System.Text.Json.Nodes;
using Vc.Agent.Storage;

namespace Vc.Node.Cli;

/// <summary>`vchealth apikey create --scopes issue,revoke,manage-issuers [--description TEXT]` and `apikey revoke ID`.</summary>
public static class ApiKeyCommands
{
    public static async Task<int> RunAsync(CliContext context, string[] argv)
    {
        var args = new CliArgs(argv);
        var verb = args.Positional(0, "create|revoke");
        var data = Path.GetFullPath(args.Option("data") ?? CliContext.DefaultDataDirectory());
        var keys = new ApiKeys(await NodeStore.OpenAsync(data));
        switch (verb)
        {
            case "create":
                ApiScope scopes;
                try { scopes = ApiKeys.ParseScopes(args.Required("scopes")); }
                catch (StoreException e) { throw new UsageException(e.Message); }
                var description = args.Option("description") ?? "";
                args.EnsureAllUsed();
                var key = await keys.CreateAsync(scopes, description);
                // The secret is shown once, here; only its hash is stored.
                CliOutput.Write(context.Out, new JsonObject
                {
                    ["id"] = key.Info.Id, ["key"] = key.Secret, ["scopes"] = ApiKeys.ScopeNames(scopes), ["description"] = description,
                });
                return ExitCodes.Ok;
            case "revoke":
                var id = args.Positional(1, "key id");
                args.EnsureAllUsed();
                var revoked = await keys.RevokeAsync(id);
                CliOutput.Write(context.Out, new JsonObject { ["id"] = id, ["revoked"] = revoked });
                return revoked ? ExitCodes.Ok : ExitCodes.Negative;
            default:
                throw new UsageException($"unknown apikey command '{verb}' (create|revoke)");
        }
    }
}
