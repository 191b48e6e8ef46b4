using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Orchestrator.Dashboard;

/// <summary>
/// Who may ask what. With a token (--token), every request carries it: in an <c>Authorization: Bearer</c> header, or
/// in the cookie that the first visit's <c>?token=</c> sets (the address is then rewritten without it). Without one,
/// the dashboard listens on loopback only and answers only requests addressed to loopback by name or address (a web
/// page that rebinds its own host name to 127.0.0.1 gets nothing). A POST also carries the page's CSRF token in
/// <see cref="CsrfHeader"/>: another site's form or script cannot read the page, so it cannot send one.
/// </summary>
internal sealed class RequestGuard(string? token, bool loopback)
{
    public const string CsrfHeader = "X-Dashboard-Csrf";
    public const string TokenCookie = "dashboard_token";
    public const string TokenQuery = "token";

    /// <summary>New for each run of the server: a page from an earlier run must be reloaded to act.</summary>
    public string CsrfToken { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Null when the request may go on, else the refusal (status and message).</summary>
    public (int Status, string Message)? Check(HttpRequest request)
    {
        if (token is null)
        {
            if (loopback && !IsLoopbackName(request.Host.Host))
                return (StatusCodes.Status421MisdirectedRequest, $"this dashboard answers only requests to 127.0.0.1, ::1 or localhost, not to '{request.Host.Host}'");
        }
        else if (!Matches(Presented(request), token))
            return (StatusCodes.Status401Unauthorized, "this dashboard needs its token: open it once as /?token=TOKEN, or send 'Authorization: Bearer TOKEN'");
        if (HttpMethods.IsPost(request.Method) && !Matches(request.Headers[CsrfHeader].ToString(), CsrfToken))
            return (StatusCodes.Status403Forbidden, $"a POST needs the page's CSRF token in the {CsrfHeader} header; reload the dashboard page and try again");
        return null;
    }

    /// <summary>A first visit with <c>?token=</c>: set the cookie and send the browser to the same address without it.</summary>
    public bool IsTokenHandover(HttpRequest request) =>
        token is not null && HttpMethods.IsGet(request.Method) && request.Query.ContainsKey(TokenQuery);

    public CookieOptions TokenCookieOptions(HttpRequest request) =>
        new() { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = request.IsHttps, Path = "/" };

    private static string Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization["Bearer ".Length..].Trim();
        if (request.Query.TryGetValue(TokenQuery, out var query))
            return query.ToString();
        return request.Cookies[TokenCookie] ?? "";
    }

    private static bool Matches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    private static bool IsLoopbackName(string host) =>
        host is "localhost" or "127.0.0.1" or "[::1]" or "::1";
}
