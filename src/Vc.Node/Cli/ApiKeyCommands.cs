using System.CommandLine;
using System.Text.Json.Nodes;
using Vc.Agent.Storage;

namespace Vc.Node.Cli;

/// <summary>`vchealth apikey create --scopes issue,revoke,manage-issuers [--description TEXT]` and `apikey revoke ID`.</summary>
public static class ApiKeyCommands
{
    public static Command Declare(CliContext context)
    {
        var scopesOption = CliParse.Text("--scopes", "comma-separated scopes: issue, revoke, manage-issuers", "SCOPES", required: true);
        scopesOption.CompletionSources.Add("issue", "revoke", "manage-issuers", "issue,revoke,manage-issuers");
        var descriptionOption = CliParse.Text("--description", "a note kept with the key", "TEXT");
        var create = new Command("create", "create an API key (the secret is printed once, only its hash is stored)") { scopesOption, descriptionOption };
        create.SetAction(async (parse, _) =>
        {
            ApiScope scopes;
            try { scopes = ApiKeys.ParseScopes(parse.GetRequiredValue(scopesOption)); }
            catch (StoreException e) { throw new UsageException(e.Message); }
            var description = parse.GetValue(descriptionOption) ?? "";
            var keys = new ApiKeys(await NodeStore.OpenAsync(context.DataDirectory(parse), context.Time, context.Database(parse)));
            var key = await keys.CreateAsync(scopes, description);
            // The secret is shown once, here; only its hash is stored.
            CliOutput.Write(context.Out, new JsonObject
            {
                ["id"] = key.Info.Id, ["key"] = key.Secret, ["scopes"] = ApiKeys.ScopeNames(scopes), ["description"] = description,
            });
            return ExitCodes.Ok;
        });

        var idArgument = CliParse.Required("ID", "the key id");
        var revoke = new Command("revoke", "revoke an API key (exit 1 if there was no such key)") { idArgument };
        revoke.SetAction(async (parse, _) =>
        {
            var id = parse.GetRequiredValue(idArgument);
            var keys = new ApiKeys(await NodeStore.OpenAsync(context.DataDirectory(parse), context.Time, context.Database(parse)));
            var revoked = await keys.RevokeAsync(id);
            CliOutput.Write(context.Out, new JsonObject { ["id"] = id, ["revoked"] = revoked });
            return revoked ? ExitCodes.Ok : ExitCodes.Negative;
        });
        return new Command("apikey") { create, revoke };
    }
}
