using System.Globalization;
using System.Net.Http.Headers;
using Landslide.Core.Segmentation;

namespace Landslide.InferenceServer.Tests.Support;

/// <summary>
/// One scrape of the server's GET /metrics, read the way Prometheus reads it: the text exposition format, one
/// sample a line (<c>name{label="value",...} number</c>), comments skipped.
/// </summary>
public sealed class PrometheusScrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    private PrometheusScrape(string text)
    {
        Text = text;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            string name;
            int rest;
            if (brace >= 0 && brace < space)
            {
                name = line[..brace];
                rest = ParseLabels(line, brace + 1, labels);
            }
            else
            {
                name = line[..space];
                rest = space;
            }

            var value = line[rest..].Trim().Split(' ')[0];
            _samples.Add((name, labels, value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
            }));
        }
    }

    /// <summary>The exposition as served.</summary>
    public string Text { get; }

    /// <summary>Scrapes /metrics with <paramref name="http"/> (which carries the API key).</summary>
    public static async Task<PrometheusScrape> GetAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri(InferenceProtocol.MetricsPath.TrimStart('/'), UriKind.Relative));
        response.EnsureSuccessStatusCode();
        var mediaType = response.Content.Headers.ContentType ?? new MediaTypeHeaderValue("none");
        if (mediaType.MediaType != "text/plain")
        {
            throw new InvalidOperationException($"GET /metrics answered {mediaType}, not the Prometheus text format");
        }

        return new PrometheusScrape(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Whether a sample named <paramref name="name"/> is exposed at all.</summary>
    public bool Has(string name) => _samples.Exists(s => s.Name == name);

    /// <summary>
    /// The sum of the samples named <paramref name="name"/> that carry every label given as "label=value"; 0 when
    /// none does (OpenTelemetry exposes a counter only once it has counted).
    /// </summary>
    public double Value(string name, params string[] labels)
    {
        var sum = 0.0;
        foreach (var sample in _samples)
        {
            if (sample.Name == name && labels.All(l => l.Split('=', 2) is [var k, var v] && sample.Labels.TryGetValue(k, out var got) && got == v))
            {
                sum += sample.Value;
            }
        }

        return sum;
    }

    private static int ParseLabels(string line, int at, Dictionary<string, string> labels)
    {
        while (line[at] != '}')
        {
            var equals = line.IndexOf('=', at);
            var key = line[at..equals].Trim(',', ' ');
            var value = new System.Text.StringBuilder();
            var i = equals + 2; // past ="
            for (; line[i] != '"'; i++)
            {
                if (line[i] == '\\')
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }
            }

            labels[key] = value.ToString();
            at = i + 1;
            if (line[at] == ',')
            {
                at++;
            }
        }

        return at + 1;
    }
}
