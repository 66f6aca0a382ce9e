using Microsoft.Playwright;
using StbImageSharp;

namespace Vc.Web.Tests;

/// <summary>
/// The camera path for real: Chromium's fake capture device plays a video of the demo's bridged QR code (a Y4M file
/// made here from the PNG), the page reads it through getUserMedia and the pinned jsQR decoder, and the node's answer
/// is shown.
/// </summary>
[Collection(VerifierPageCollection.Name)]
public sealed class CameraScanTests(VerifierPageFixture node)
{
    [Fact]
    public async Task Scanning_the_bridged_QR_with_the_camera_gives_VALID()
    {
        var video = Path.Combine(Path.GetDirectoryName(node.BridgedQrPng)!, "camera.y4m");
        await File.WriteAllBytesAsync(video, Y4m(await File.ReadAllBytesAsync(node.BridgedQrPng)));
        await using var browser = await node.Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = VerifierPageFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", $"--use-file-for-fake-video-capture={video}"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Permissions = ["camera"], ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(120_000);
        await page.GotoAsync(node.BaseUrl + "/");
        await page.ClickAsync("#scan");
        var banner = page.Locator("#verdict .banner");
        await Assertions.Expect(banner).ToHaveAttributeAsync("data-status", "valid", new LocatorAssertionsToHaveAttributeOptions { Timeout = 120_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(VerifierPageFixture.Screenshots, "8-camera-scan-valid.png"), FullPage = true });
        Assert.Contains("DSC KE", await page.Locator("#result").InnerTextAsync());
        Assert.True(await page.Locator("#camera").IsHiddenAsync()); // the camera is released once a code is read
        await context.CloseAsync();
    }

    /// <summary>
    /// A still YUV4MPEG2 video (4:2:0, one frame; Chromium loops it) of an image centred on a white 640x480 (or larger)
    /// frame: the luma plane is the image in grey, chroma neutral.
    /// </summary>
    private static byte[] Y4m(byte[] png)
    {
        var image = ImageResult.FromMemory(png, ColorComponents.Grey);
        int width = Math.Max(640, (image.Width + 1) & ~1), height = Math.Max(480, (image.Height + 1) & ~1);
        var luma = new byte[width * height];
        Array.Fill(luma, (byte)255);
        int left = (width - image.Width) / 2, top = (height - image.Height) / 2;
        for (var y = 0; y < image.Height; y++)
            Array.Copy(image.Data, y * image.Width, luma, (top + y) * width + left, image.Width);
        var chroma = new byte[width / 2 * (height / 2)];
        Array.Fill(chroma, (byte)128);
        using var output = new MemoryStream();
        output.Write(System.Text.Encoding.ASCII.GetBytes($"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\nFRAME\n"));
        output.Write(luma);
        output.Write(chroma);
        output.Write(chroma);
        return output.ToArray();
    }
}
