using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Landslide.Core.Segmentation;
using Landslide.InferenceServer.Models;
using Landslide.InferenceServer.Tests.Support;
using Landslide.TestSupport;

namespace Landslide.InferenceServer.Tests;

/// <summary>One server serving v1 for the whole class; each case writes a broken current.json under it.</summary>
public sealed class PointerFileServer : IAsyncLifetime
{
    private readonly TempDirectory _models = new("server-pointer");

    public RunningServer Server { get; private set; } = null!;

    public string ModelsRoot => _models.Path;

    public async Task InitializeAsync()
    {
        RunningServer.WriteModel(_models.Path, 1);
        RunningServer.Point(_models.Path, "v1");
        Server = await RunningServer.StartAsync(_models.Path, new Dictionary<string, string> { ["ModelPollInterval"] = "00:00:00.050" });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _models.Dispose();
    }
}

public sealed class PointerFileTests(PointerFileServer fixture) : IClassFixture<PointerFileServer>
{
    private static readonly SemaphoreSlim OneAtATime = new(1);

    public static TheoryData<string, string> BadPointers()
    {
        var data = new TheoryData<string, string>
        {
            { "array", "[]" },
            { "array-of-pointer", """[{"version":"v1"}]""" },
            { "string", "\"v1\"" },
            { "number", "42" },
            { "null", "null" },
            { "true", "true" },
            { "empty-object", "{}" },
            { "version-null", """{"version":null}""" },
            { "version-number", """{"version":42}""" },
            { "version-object", """{"version":{"v":"v1"}}""" },
            { "version-array", """{"version":["v1"]}""" },
            { "version-empty", """{"version":""}""" },
            { "version-blank", """{"version":"   "}""" },
            { "traversal", """{"version":"../x"}""" },
            { "traversal-deep", """{"version":"../../../etc"}""" },
            { "backslash", """{"version":"..\\x"}""" },
            { "dot-dot", """{"version":".."}""" },
            { "dot", """{"version":"."}""" },
            { "absolute", """{"version":"/etc/passwd"}""" },
            { "nul-char", """{"version":"v1\u0000"}""" },
            { "newline", """{"version":"v1\nv2"}""" },
            { "too-long-version", $$"""{"version":"{{new string('a', 300)}}"}""" },
            { "missing-folder", """{"version":"v404"}""" },
            { "garbage", "{ this is not json" },
            { "empty-file", "" },
            { "whitespace", "   \n " },
            { "truncated", """{"version":"v""" },
            { "trailing", """{"version":"v1"} {""" },
            { "deep-nesting", new string('[', 5000) + new string(']', 5000) },
            { "huge", $$"""{"version":"v1","pad":"{{new string('x', 100_000)}}"}""" },
            { "binary", Encoding.Latin1.GetString([0xff, 0xfe, 0x00, 0x01, 0x7b, 0x22]) },
        };
        var random = new Random(12);
        for (var i = 0; i < 8; i++)
        {
            var bytes = new byte[random.Next(1, 200)];
            random.NextBytes(bytes);
            data.Add($"random-{i}", Encoding.Latin1.GetString(bytes));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadPointers))]
    public async Task BadPointer_IsCountedAndLogged_AndTheOldModelKeepsServing(string name, string content)
    {
        Assert.NotNull(name);
        await OneAtATime.WaitAsync();
        try
        {
            using var http = fixture.Server.CreateClient();
            var before = await Counter(http, name == "missing-folder" ? "landslide_inference_models_refused_total" : "landslide_inference_pointers_refused_total");

            // Replaced in one step (as a registry does), so the watcher never reads half a file.
            var temp = Path.Combine(fixture.ModelsRoot, "current.json.tmp");
            await File.WriteAllBytesAsync(temp, Encoding.Latin1.GetBytes(content));
            File.Move(temp, Path.Combine(fixture.ModelsRoot, "current.json"), overwrite: true);

            await Until(async () => await Counter(http, name == "missing-folder" ? "landslide_inference_models_refused_total" : "landslide_inference_pointers_refused_total") == before + 1);
            using var request = RunningServer.SegmentRequest(RunningServer.Features(1, seed: 3), 1);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("v1", response.Headers.GetValues(InferenceProtocol.ModelVersionHeader).Single());
            using var ready = await http.GetAsync(new Uri("readyz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        finally
        {
            // Back to the good pointer, so the next case starts from a served, unchanged state.
            RunningServer.Point(fixture.ModelsRoot, "v1");
            OneAtATime.Release();
        }
    }

    [Fact]
    public void Parse_NeverThrowsAnythingButModelPointerException_OnRandomInput()
    {
        var random = new Random(7);
        var seeds = new[] { """{"version":"v1"}""", "[]", "{\"version\":", "null", "\"x\"" };
        var accepted = 0;
        for (var i = 0; i < 5000; i++)
        {
            // Mutations of plausible pointers reach deeper into the parser than pure noise.
            var bytes = Encoding.UTF8.GetBytes(seeds[i % seeds.Length]).ToList();
            for (var m = random.Next(0, 4); m > 0; m--)
            {
                var at = random.Next(0, bytes.Count + 1);
                switch (random.Next(3))
                {
                    case 0: bytes.Insert(at, (byte)random.Next(256)); break;
                    case 1 when bytes.Count > 0: bytes.RemoveAt(Math.Min(at, bytes.Count - 1)); break;
                    default: if (bytes.Count > 0) { bytes[Math.Min(at, bytes.Count - 1)] = (byte)random.Next(256); } break;
                }
            }

            try
            {
                var pointer = ModelPointer.Parse(bytes.ToArray(), "t");
                Assert.True(ModelPointer.IsPlainVersion(pointer.Version));
                accepted++;
            }
            catch (ModelPointerException ex)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            }
        }

        // Some mutations keep the pointer valid: the parser accepts as well as refuses.
        Assert.InRange(accepted, 1, 4999);
    }

    [Theory]
    [InlineData("[]", "root is an array")]
    [InlineData("42", "root is a number")]
    [InlineData("""{"version":"../x"}""", "not a plain folder name")]
    public async Task BadPointerAtStart_ReadyzSays503WithTheReason_InsteadOfCrashing(string content, string reason)
    {
        using var models = new TempDirectory("server-pointer-start");
        RunningServer.WriteModel(models.Path, 1);
        await File.WriteAllTextAsync(Path.Combine(models.Path, "current.json"), content);
        await using var server = await RunningServer.StartAsync(models.Path, waitUntilReady: false);
        using var http = server.CreateClient();

        JsonElement problem = default;
        await Until(async () =>
        {
            using var ready = await http.GetAsync(new Uri("readyz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            problem = await ready.Content.ReadFromJsonAsync<JsonElement>();
            return problem.GetProperty("detail").GetString()!.Contains(reason, StringComparison.Ordinal);
        });
        Assert.Equal(InferenceProtocol.Errors.NotReady, problem.GetProperty("code").GetString());
        Assert.Equal(1, await Counter(http, "landslide_inference_pointers_refused_total"));

        RunningServer.Point(models.Path, "v1");
        await server.WaitUntilReadyAsync();
    }

    private static async Task<long> Counter(HttpClient http, string name)
        => (long)(await PrometheusScrape.GetAsync(http)).Value(name);

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 30 s");
            await Task.Delay(20);
        }
    }
}
